"""A gradebook for lecturers: grade a class's exercise notebooks safely and fast.

``python -m crmlab.grade SUBMISSIONS --chapter ch2 [--out gradebook] [--timeout 60]``
(or ``make grade SUBMISSIONS=dir CHAPTER=ch2``) runs every submitted notebook in its
own sandbox (bubblewrap: own namespaces, unprivileged uid, no answers inside; where
bubblewrap cannot run, one Docker or Podman container per submission),
reads the answer each ``check("chN.exK", answer)`` call was given, grades it here
with crmlab's own ``check`` and writes ``grades.csv``, ``report.html`` and
``feedback/<student>.md``. ``--trusted`` runs without the sandbox (trusted
submissions only; the report says so).

Modules: ``_discover`` (finding submissions, naming students), ``_notebook``
(static reading: task cells, name cell, internals), ``_bwrap`` (the sandbox's
command), ``_zygote`` (inside it: one isolated child per submission),
``_container`` (the Docker/Podman backend: one container per submission),
``_student_view`` (``crmlab.exercises`` without answers), ``_sandbox`` + ``_child``
(running one submission), ``_values`` (answers as plain data), ``_grading``
(grading), ``_report`` (the files).
"""

from __future__ import annotations

from pathlib import Path

from crmlab.grade._bwrap import SandboxUnavailable

__all__ = ["SandboxUnavailable", "grade"]


def grade(submissions: str | Path, chapter: str, *, out: str | Path | None = "gradebook",
          timeout: float = 60, memory_mb: int = 2048, jobs: int | None = None,
          trusted: bool = False, backend: str | None = None, image: str | None = None):
    """Grade every notebook under ``submissions`` (a folder or a zip) for ``chapter``.

    Parameters
    ----------
    submissions : str or Path
        Folder of submitted ``.ipynb`` files (sub-folders per student allowed) or a zip.
    chapter : str
        Chapter of the exercises, e.g. ``"ch2"``.
    out : str, Path or None
        Folder for ``grades.csv``, ``report.html`` and ``feedback/``; None writes nothing.
    timeout : float
        Wall-clock seconds one submission may run.
    memory_mb : int
        Address-space limit of one submission's process (MiB).
    jobs : int, optional
        Submissions run at the same time (default: the number of CPU cores).
    trusted : bool
        Run without the sandbox, behind the in-process guard only (for trusted
        submissions; the report says so in its header).
    backend : {None, "bwrap", "podman", "docker"}
        The sandbox: bubblewrap, or one Docker/Podman container per submission;
        None tries them in this order.
    image : str, optional
        The container image (default ``$CRMLAB_GRADE_IMAGE``, else ``crmlab-grader``,
        built with ``docker build -f deploy/z2jh/Dockerfile -t crmlab-grader .``).

    Returns
    -------
    Gradebook
        ``.submissions`` (student, per-task results, flags), ``.problems`` (files not
        graded, with the reason), ``.tasks``.

    Raises
    ------
    ValueError
        Unknown chapter, missing folder, bad timeout, memory limit or backend.
    crmlab.grade.SandboxUnavailable
        No sandbox can run here (no bubblewrap, Docker or Podman) and not ``trusted``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     grade(empty, "ch2", out=None).submissions
    []
    """
    from crmlab import _validation as validate
    from crmlab.grade._grading import grade_class
    from crmlab.grade._report import write_gradebook

    timeout = validate.number(timeout, "timeout", minimum=0, min_inclusive=False,
                              maximum=86_400, label="每本限时（秒）")
    memory_mb = validate.integer(memory_mb, "memory_mb", minimum=256, maximum=1_048_576,
                                 label="内存上限（MiB）")
    jobs = None if jobs is None else validate.integer(jobs, "jobs", minimum=1, maximum=512,
                                                      label="并行数")
    trusted = validate.flag(trusted, "trusted", label="不用沙箱")
    backend = validate.choice(backend, "backend", (None, "bwrap", "podman", "docker"),
                              label="沙箱后端")
    book = grade_class(Path(submissions), chapter, timeout=timeout, memory_mb=memory_mb,
                       jobs=jobs, out=None if out is None else Path(out).resolve(),
                       trusted=trusted, backend=backend, image=image)
    if out is not None:
        write_gradebook(book, Path(out))
    return book
