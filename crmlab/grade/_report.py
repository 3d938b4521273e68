"""Writing the gradebook: ``grades.csv``, ``report.html`` and feedback files.

``report.html`` is one self-contained Chinese page with an inline SVG chart;
there is one feedback file per student. Everything is sorted and carries no
timestamp, so the same submissions give byte-identical files.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from pathlib import Path

from crmlab.exercises import get_task
from crmlab.grade._grading import FORMAT_SLIP, STATUSES, Gradebook, Submission

__all__ = ["NEEDS_HELP_SHARE", "needs_help", "write_gradebook"]

#: A student needs help when fewer than this share of the graded tasks is correct,
#: or when the submission timed out / could not run.
NEEDS_HELP_SHARE = 0.5
STATUS_ZH = {"correct": "正确", "wrong": "错误", "unanswered": "未作答", "error": "出错",
             "timeout": "超时"}
STATUS_MARK = {"correct": "✅", "wrong": "❌", "unanswered": "⏳", "error": "⚠️",
               "timeout": "⌛"}
_COLOURS = {"correct": "#2a9d5b", "wrong": "#c8423b", "unanswered": "#b0b0b0",
            "error": "#e07b24", "timeout": "#7b5ea7"}


def _is_discussion(task: str) -> bool:
    return not get_task(task).kind.graded


def needs_help(book: Gradebook, submission: Submission) -> bool:
    """Tell whether the student solved fewer than half the tasks or could not run."""
    if any(r.status in ("error", "timeout") for r in submission.results.values()):
        return True
    return submission.total < NEEDS_HELP_SHARE * len(book.tasks)


def file_name(student: str) -> str:
    """Return a safe file name for the student's feedback."""
    name = student.encode("utf-8", "replace").decode("utf-8")
    name = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", name).strip(" .") or "student"
    return name[:80]


def _cell(text: str) -> str:
    """Return a name a spreadsheet will not read as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(book: Gradebook) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # the name may come from the notebook's own name cell (a student can type anyone's):
    # the file, named by the hand-in system, always stands beside it
    writer.writerow(["student", "file", *book.tasks, "total"])
    for submission in book.submissions:
        writer.writerow([_cell(submission.student), _cell(submission.file),
                         *(submission.results[t].status for t in book.tasks),
                         submission.total])
    return buffer.getvalue()


def _counts(book: Gradebook, task: str) -> Counter:
    return Counter(s.results[task].status for s in book.submissions)


def _chart(book: Gradebook) -> str:
    """Draw a stacked bar chart (share of students per status, per task) as inline SVG."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from crmlab import plotting

    plotting.setup(seaborn=False)
    n = max(1, len(book.submissions))
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(book.tasks) + 1.8))
    left = [0.0] * len(book.tasks)
    labels = [t.split(".", 1)[1] for t in book.tasks]
    for status in STATUSES:
        shares = [_counts(book, t)[status] / n for t in book.tasks]
        ax.barh(labels, shares, left=left, color=_COLOURS[status], label=STATUS_ZH[status])
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    plotting.percent(ax, "x")
    ax.set_xlabel("学生占比（%）")
    ax.set_ylabel("题目")
    ax.set_title(f"{book.chapter} 各题作答情况（{len(book.submissions)} 份提交）")
    ax.legend(ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False)
    fig.tight_layout()
    out = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "crmlab-grade", "svg.fonttype": "path"}):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg"):]


def _slips(book: Gradebook, task: str) -> list[tuple[str, int]]:
    """Count (hint, number of students) of the wrong answers, most common first.

    Format slips carry one example of crmlab's message.
    """
    wrong = [s.results[task] for s in book.submissions if s.results[task].status == "wrong"]
    hints = Counter(r.hint for r in wrong)
    example = min((r.message for r in wrong if r.hint == FORMAT_SLIP), default="")
    generic = get_task(task).hint
    named = {h: (f"{h}（例如：{example}）" if h == FORMAT_SLIP else
                 f"其他错误（没有对上典型错误，显示本题的一般提示）：{h}" if h == generic else h)
             for h in hints}
    return sorted(((named[h], c) for h, c in hints.items()), key=lambda item: (-item[1], item[0]))


_STYLE = """body{font-family:"Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.6;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;
padding:.25em .6em;text-align:left;vertical-align:top}th{background:#f0f4fa}
td.n{text-align:right}.correct{background:#e8f5e9}.wrong{background:#ffebee}
.unanswered{background:#f5f5f5}.error{background:#fff3e0}.timeout{background:#ede7f6}
.note{color:#555;font-size:.92em}h2{border-bottom:2px solid #1f5fa8;padding-bottom:.2em}"""


def _html_slips(book: Gradebook) -> list[str]:
    """Return the report's section on the most common wrong answers."""
    e = html.escape
    parts = ["<h2>最常见的错误</h2><p class='note'>按答错时触发的提示归类"
             "（提示来自 crmlab 题库中为每题列出的典型错误）。</p>"]
    any_slip = False
    for task in book.tasks:
        slips = _slips(book, task)
        if not slips:
            continue
        any_slip = True
        parts.append(f"<h3>{e(task)}（{sum(c for _, c in slips)} 人答错）</h3><table>"
                     "<tr><th>人数</th><th>触发的提示</th></tr>")
        parts += [f"<tr><td class='n'>{c}</td><td>{e(h)}</td></tr>" for h, c in slips[:5]]
        parts.append("</table>")
    if not any_slip:
        parts.append("<p>没有答错的提交。</p>")
    return parts


def _html_help(book: Gradebook) -> list[str]:
    """Return the report's section on the students who need help."""
    e = html.escape
    helped = [s for s in book.submissions if needs_help(book, s)]
    helped.sort(key=lambda s: (s.total, s.student))
    parts = [f"<h2>需要帮助的学生（{len(helped)} 人）</h2><p class='note'>答对少于一半，"
             "或提交运行出错/超时。</p>"]
    if helped:
        parts.append("<table><tr><th>学生</th><th>答对</th><th>没做对的题</th></tr>")
        for s in helped:
            missed = "、".join(f"{t.split('.', 1)[1]}（{STATUS_ZH[r.status]}）"
                              for t, r in s.results.items() if r.status != "correct")
            parts.append(f"<tr><td>{e(s.student)}</td><td class='n'>{s.total}/"
                         f"{len(book.tasks)}</td><td>{e(missed)}</td></tr>")
        parts.append("</table>")
    return parts


def _html_problems(book: Gradebook) -> list[str]:
    """Return the report's section on files not graded and flagged submissions."""
    e = html.escape
    flagged = [s for s in book.submissions if s.flags]
    parts = [f"<h2>提交问题（{len(book.problems) + len(flagged)} 条）</h2>"]
    if book.problems or flagged:
        parts.append("<table><tr><th>文件 / 学生</th><th>情况</th></tr>")
        for file, why in book.problems:
            parts.append(f"<tr><td>{e(file)}</td><td>{e(why)}</td></tr>")
        for s in flagged:
            parts.append(f"<tr><td>{e(s.student)}<br><span class='note'>{e(s.file)}</span></td>"
                         f"<td>{'<br>'.join(e(f) for f in s.flags)}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>没有。</p>")
    return parts


TRUSTED = "未隔离运行：只适用于可信的提交"


def _isolation(book: Gradebook) -> str:
    """Return the report's sentence on how submissions were isolated."""
    if book.trusted:
        return (f"<b style='color:#c8423b'>{TRUSTED}</b>（--trusted：提交在普通进程中运行，"
                "只有进程内的检查，不能阻止有意的越权）。")
    if book.backend in ("docker", "podman"):
        return (f"每份提交在独立的 {book.backend.capitalize()} 容器中运行：无网络、只读的课程镜像、"
                "无特权的用户（65534）、限制进程数、内存和 CPU，镜像里的标准答案被学生视图覆盖，"
                "看不到其他提交；")
    return ("每份提交在独立的沙箱（bubblewrap）中运行：独立的用户、进程、网络和文件系统命名空间，"
            "非特权用户，只读的运行环境里没有标准答案，看不到其他提交；")


def _html(book: Gradebook) -> str:
    e = html.escape
    n = len(book.submissions)
    parts = [f"<!DOCTYPE html>\n<html lang='zh-CN'><head><meta charset='utf-8'>"
             f"<title>成绩报告：{e(book.chapter)} {e(book.title)}</title>"
             f"<style>{_STYLE}</style></head><body>",
             f"<h1>成绩报告：{e(book.chapter)}《{e(book.title)}》</h1>",
             f"<p>已评分 <b>{n}</b> 份提交，共 {len(book.tasks)} 题；另有 "
             f"<b>{len(book.problems)}</b> 个文件未评分或有问题（见“提交问题”）。"
             f"{_isolation(book)}限时 {book.timeout:g} 秒；答案一律由 crmlab 在评分进程中"
             "重新检查，不采信学生代码打印或返回的结果。</p>"]
    if n:
        totals = sorted(s.total for s in book.submissions)
        mean = sum(totals) / n
        median = (totals[(n - 1) // 2] + totals[n // 2]) / 2
        parts.append(f"<p>平均答对 {mean:.1f} 题，中位数 {median:g} 题"
                     f"（满分 {len(book.tasks)} 题）。</p>")
    parts.append("<h2>各题正确率</h2><table><tr><th>题号</th><th>题型</th><th>正确率</th>"
                 + "".join(f"<th>{STATUS_ZH[s]}</th>" for s in STATUSES) + "</tr>")
    for task in book.tasks:
        counts = _counts(book, task)
        rate = f"{counts['correct'] / n:.0%}" if n else "–"
        kind = get_task(task).kind.what() + ("（讨论题：按要求作答即记为正确）"
                                             if _is_discussion(task) else "")
        parts.append(f"<tr><td>{e(task)}</td><td>{e(kind)}</td><td class='n'>{rate}</td>"
                     + "".join(f"<td class='n'>{counts[s]}</td>" for s in STATUSES) + "</tr>")
    parts.append("</table>")
    if n:
        parts.append(f"<figure>{_chart(book)}<figcaption class='note'>图：每题各状态的学生占比"
                     "（绿色 = 正确）。</figcaption></figure>")
    parts += _html_slips(book)
    parts += _html_help(book)
    parts += _html_problems(book)
    parts.append("<h2>全班成绩</h2><table><tr><th>学生</th><th>文件</th>"
                 + "".join(f"<th>{e(t.split('.', 1)[1])}</th>" for t in book.tasks)
                 + "<th>答对</th></tr>")
    for s in book.submissions:
        parts.append(f"<tr><td>{e(s.student)}</td><td>{e(s.file)}</td>" + "".join(
            f"<td class='{s.results[t].status}' title='{e(STATUS_ZH[s.results[t].status])}'>"
            f"{STATUS_MARK[s.results[t].status]}</td>" for t in book.tasks)
            + f"<td class='n'>{s.total}</td></tr>")
    parts.append("</table><p class='note'>✅ 正确　❌ 错误　⏳ 未作答　⚠️ 出错　⌛ 超时。"
                 "由 crmlab.grade 生成。</p></body></html>\n")
    return "\n".join(parts)


def _feedback(book: Gradebook, s: Submission) -> str:
    lines = [f"# {book.chapter}《{book.title}》练习反馈：{s.student}", "",
             *([f"> {TRUSTED}", ""] if book.trusted else []),
             f"提交文件：{s.file}", f"答对 {s.total} / {len(book.tasks)} 题。", ""]
    if s.flags:
        lines += ["## 运行情况", "", *(f"- {f}" for f in s.flags), ""]
    lines += ["## 各题", ""]
    for task in book.tasks:
        r = s.results[task]
        lines.append(f"### {task}：{STATUS_MARK[r.status]} {STATUS_ZH[r.status]}")
        if r.answer:
            lines.append(f"- 你的答案：{r.answer}")
        if r.message:
            lines.append(f"- 反馈：{r.message}")
        lines.append("")
    return "\n".join(lines)


def write_gradebook(book: Gradebook, out: Path) -> Path:
    """Write ``grades.csv``, ``report.html`` and ``feedback/<student>.md`` into ``out``.

    Files of an earlier run in ``feedback/`` are replaced.
    """
    out = Path(out)
    feedback = out / "feedback"
    feedback.mkdir(parents=True, exist_ok=True)
    for old in feedback.glob("*.md"):
        old.unlink()
    (out / "grades.csv").write_bytes(_csv(book).encode("utf-8-sig", "replace"))
    (out / "report.html").write_bytes(_html(book).encode("utf-8", "replace"))
    used: set[str] = set()
    for s in book.submissions:
        name = file_name(s.student)
        while name.lower() in used:
            name += "_"
        used.add(name.lower())
        (feedback / f"{name}.md").write_bytes(_feedback(book, s).encode("utf-8", "replace"))
    return out
