"""``python -m crmlab.grade SUBMISSIONS --chapter ch2 [--out gradebook] [--timeout 60]``."""

from __future__ import annotations

import argparse
import sys

from crmlab.grade import SandboxUnavailable, grade

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m crmlab.grade",
        description="批改全班的练习 notebook / grade a class's exercise notebooks")
    parser.add_argument("submissions", help="提交的文件夹或 zip / folder or zip of notebooks")
    parser.add_argument("--chapter", required=True, help="章节，例如 ch2 / chapter, e.g. ch2")
    parser.add_argument("--out", default="gradebook", help="输出文件夹 / output folder")
    parser.add_argument("--timeout", type=float, default=60,
                        help="每份提交的运行时限（秒）/ seconds per submission")
    parser.add_argument("--memory", type=int, default=2048,
                        help="每份提交的内存上限（MiB）/ memory limit per submission")
    parser.add_argument("--jobs", type=int, default=None,
                        help="同时运行的提交数 / submissions run at once")
    parser.add_argument("--trusted", action="store_true",
                        help="不用沙箱，只适用于可信的提交 / no sandbox: trusted submissions only")
    parser.add_argument("--backend", choices=["bwrap", "podman", "docker"], default=None,
                        help="沙箱：默认依次尝试 bwrap、podman、docker / sandbox; default: "
                             "bwrap, then podman, then docker")
    parser.add_argument("--container-image", default=None,
                        help="容器后端的镜像（默认 $CRMLAB_GRADE_IMAGE 或 crmlab-grader）"
                             " / image of the container backend")
    args = parser.parse_args(argv)
    try:
        book = grade(args.submissions, args.chapter, out=args.out, timeout=args.timeout,
                     memory_mb=args.memory, jobs=args.jobs, trusted=args.trusted,
                     backend=args.backend, image=args.container_image)
    except (ValueError, TypeError, ImportError, SandboxUnavailable) as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return 2
    flagged = sum(bool(s.flags) for s in book.submissions)
    print(f"已评分 {len(book.submissions)} 份提交（{book.seconds:.1f} 秒），"
          f"{len(book.problems)} 个文件未评分，{flagged} 份需要留意；"
          f"结果在 {args.out}/（grades.csv、report.html、feedback/）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
