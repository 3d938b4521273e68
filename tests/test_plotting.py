"""Chinese plots render with zero warnings on a machine with no CJK font installed."""

import subprocess
import sys
import textwrap

from fontTools.ttLib import TTFont

from crmlab import glossary, plotting

RENDER = textwrap.dedent("""
    import logging, warnings, sys
    warnings.simplefilter("error")           # "Glyph missing" is a UserWarning
    class Fail(logging.Handler):
        def emit(self, record):
            print("LOG:", record.getMessage(), file=sys.stderr); sys.exit(3)
    logging.getLogger("matplotlib").addHandler(Fail(level=logging.WARNING))
    import matplotlib
    matplotlib.use("Agg")
    from crmlab import plotting
    plotting.setup()
    import matplotlib.pyplot as plt
    import seaborn as sns
    fig, ax = plt.subplots()
    ax.plot([-2, -1, 0, 1], [-1500, 0, 800, 2500], label="顾客资产（元）")
    sns.barplot(x=["甲", "乙", "丙"], y=[50, 35, -5], ax=ax)
    ax.set_title("客户终身价值：保留率与折现率")
    ax.set_xlabel("年份（年）"); ax.set_ylabel("金额（元）")
    ax.legend(title="图例")
    plotting.thousands(ax, unit="元")
    for ext in ("png", "pdf", "svg"):
        fig.savefig(sys.argv[1] + "." + ext)
    from matplotlib import font_manager
    family = matplotlib.rcParams["font.family"]
    used = font_manager.findfont(font_manager.FontProperties(family=family))
    print(used)
""")


def test_chinese_figure_renders_without_any_warning(tmp_path):
    # A fresh MPLCONFIGDIR means a fresh font cache, as on a student's new laptop.
    env = {"MPLCONFIGDIR": str(tmp_path / "mpl"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", RENDER, str(tmp_path / "fig")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip().endswith(plotting.FONT_FILE)
    for ext in ("png", "pdf", "svg"):
        assert (tmp_path / f"fig.{ext}").stat().st_size > 1000


def test_font_is_small_and_carries_its_licence():
    path = plotting.font_path()
    assert path.stat().st_size < 2.5e6
    assert (path.parent / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1
    names = {record.nameID: str(record) for record in TTFont(path)["name"].names}
    assert names[1] == plotting.FONT_FAMILY
    assert "Open Font License" in names[13]


def test_font_covers_every_chinese_label_of_the_glossary():
    cmap = TTFont(plotting.font_path()).getBestCmap()
    text = "".join(zh for zh, _ in glossary.TERMS.values())
    missing = sorted({ch for ch in text if ord(ch) not in cmap})
    assert missing == []


def test_setup_keeps_font_after_seaborn_theme():
    import matplotlib
    import seaborn as sns

    plotting.setup()
    assert matplotlib.rcParams["font.family"][0] == plotting.FONT_FAMILY
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    sns.set_theme(font=matplotlib.rcParams["font.family"])
    assert matplotlib.rcParams["font.family"][0] == plotting.FONT_FAMILY
