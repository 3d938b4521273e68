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


# --- issue 7: bad input never corrupts global settings ------------------------------

import math  # noqa: E402

import matplotlib  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmlab import clv  # noqa: E402
from tests import _bad_input as _bad  # noqa: E402


def _sizes():
    keys = ("font.size", "axes.titlesize", "axes.labelsize", "legend.fontsize",
            "font.family", "axes.unicode_minus")
    return {k: matplotlib.rcParams[k] for k in keys}


@pytest.mark.parametrize("scale", [float("nan"), float("inf"), -1.0, 0.0, 1e308, "1.2",
                                   None, True, [1.0]])
def test_regression_setup_with_a_bad_scale_leaves_rcparams_alone(scale):
    plotting.setup()
    before = _sizes()
    with pytest.raises((ValueError, TypeError)):
        plotting.setup(scale)
    assert _sizes() == before
    assert all(math.isfinite(matplotlib.rcParams[k]) for k in ("font.size", "axes.titlesize"))


def _axes():
    fig, ax = plt.subplots()
    ax.bar(["甲", "乙"], [1.0, 2.0])
    return ax


CHART_TABLE = clv.clv_table([100.0] * 3, rate=0.1, acquisition_cost=50)
PROFITS = pd.DataFrame({"segment": ["甲", "乙", "total"], "segment_profit": [25.0, 45.0, 70.0]})
PLOT_CALLS = {
    "setup": (plotting.setup, {"scale": 1.0, "seaborn": False}),
    "rc_params": (plotting.rc_params, {"scale": 1.0}),
    "thousands": (plotting.thousands, {"ax": None, "axis": "y", "decimals": 0, "unit": "元"}),
    "percent": (plotting.percent, {"ax": None, "axis": "y", "xmax": 1.0, "decimals": 0}),
    "label_bars": (plotting.label_bars, {"ax": None, "fmt": "{:,.0f}", "fontsize": 12.0}),
    "clv_calculator_chart": (plotting.clv_calculator_chart, {"table": CHART_TABLE}),
    "segment_profit_chart": (plotting.segment_profit_chart, {"table": PROFITS,
                                                             "title": "利润",
                                                             "ylabel": "利润（万元）"}),
}
PLOT_CASES = [(name, argument, category)
              for name, (_, valid) in PLOT_CALLS.items()
              for argument, value in valid.items()
              for category in (_bad.FRAMES if isinstance(value, pd.DataFrame)
                               else _bad.SCALARS)]


@pytest.mark.parametrize("name, argument, category", PLOT_CASES)
def test_property_every_bad_input_category(name, argument, category):
    plotting.setup(seaborn=False)
    before = _sizes()
    function, valid = PLOT_CALLS[name]
    kwargs = {k: (_axes() if k == "ax" else v) for k, v in valid.items()}
    kwargs[argument] = (_bad.FRAMES if isinstance(valid[argument], pd.DataFrame)
                        else _bad.SCALARS)[category]
    result = _bad.attack(function, kwargs, finite=lambda r: _bad.numbers_of(
        r if isinstance(r, dict | float) else None), mutable=("ax",))
    if isinstance(result, Exception):
        assert _sizes() == before, "a refused call changed global settings"
    plotting.setup(seaborn=False)
    plt.close("all")


def test_charts_refuse_nan_instead_of_drawing_nan_percent():
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    from crmlab import pareto, plotting

    curve = pareto.whale_curve([50, 30, 20, 5, -10, -15])
    broken = curve.assign(cumulative_profit_share=np.nan)
    with pytest.raises(ValueError, match="cumulative_profit_share"):
        plotting.whale_chart(broken)
    with pytest.raises(ValueError, match="top"):
        plotting.whale_chart(curve, top=20)
    tiers = pd.DataFrame({"tier": ["platinum", "gold"], "profit": [np.nan, 10.0]})
    with pytest.raises(ValueError, match="profit"):
        plotting.pyramid_chart(tiers)
    with pytest.raises(ValueError, match="golden"):
        plotting.pyramid_chart(tiers.assign(tier=["platinum", "golden"], profit=[1.0, 2.0]))
    with pytest.raises(ValueError, match="0"):
        plotting.pyramid_chart(tiers.assign(profit=[5.0, -5.0]))
    plt.close("all")
