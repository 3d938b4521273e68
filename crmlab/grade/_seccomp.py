"""A seccomp filter for the submission's process: threads yes, new processes and tracing no.

Inside the sandbox each process of a submission may hold up to its memory limit
(``RLIMIT_AS`` is per process), so a submission that forks N children could hold N
times its limit of the machine's memory. The kernel refuses, for the submission's
process and everything it starts: ``fork``, ``vfork``, ``clone`` without
``CLONE_THREAD`` (``clone3`` answers ``ENOSYS``, so the C library falls back to
``clone`` for its threads), ``ptrace`` and ``process_vm_readv/writev`` (the
namespace's watchdog, PID 1, is not to be stopped or rewritten), and the calls
that make namespaces, mounts, keys, BPF programs, ``userfaultfd`` and
``io_uring`` (kernel surface a notebook never needs), and ``memfd_create``,
``shmget`` and ``msgget``: memory none of the submission's limits counts (memory
files, System V segments and queues; files on the submission's size-limited tmpfs
mounts remain). Foreign system-call ABIs
(x32, 32-bit) are refused whole. Supported: x86-64 and AArch64.

Examples
--------
>>> program = filter_program("x86_64")
>>> len(program) > 10 and program[-1][0] == 0x06      # ends in a return
True
"""

from __future__ import annotations

import ctypes
import errno
import platform

__all__ = ["filter_program", "forbid_processes"]

_LD_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
CLONE_THREAD = 0x00010000
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2

#: (audit arch, fork-like calls refused, clone, clone3, other refused calls)
_ARCHES = {
    "x86_64": (0xC000003E, (57, 58), 56, 435,
               (101, 310, 311, 272, 308, 165, 166, 155, 161, 321, 323, 298, 250, 248, 249,
                246, 320, 175, 313, 425, 426, 427, 428, 429, 430, 431, 432, 433, 442,
               319, 29, 68)),
    "aarch64": (0xC00000B7, (), 220, 435,
                (117, 270, 271, 97, 268, 40, 39, 41, 51, 280, 282, 241, 219, 217, 218,
                 104, 294, 105, 273, 425, 426, 427, 428, 429, 430, 431, 432, 433, 442,
                 279, 194, 186)),
}
_X32_BIT = 0x40000000


def filter_program(machine: str | None = None) -> list[tuple[int, int, int, int]]:
    """Return the BPF program (code, jt, jf, k) for ``machine`` (default: this one).

    Raises KeyError for an architecture without a filter here.

    >>> filter_program("riscv64")
    Traceback (most recent call last):
    ...
    KeyError: 'riscv64'
    """
    machine = machine or platform.machine()
    arch, forks, clone, clone3, others = _ARCHES[machine]
    code: list[tuple[int, object, object, int]] = [
        (_LD_ABS, 0, 0, 4), (_JEQ, 0, "deny", arch), (_LD_ABS, 0, 0, 0)]
    if machine == "x86_64":
        code.append((_JGE, "deny", 0, _X32_BIT))
    code += [(_JEQ, "deny", 0, nr) for nr in (*forks, *others)]
    code += [(_JEQ, "enosys", 0, clone3), (_JEQ, 0, "allow", clone),
             (_LD_ABS, 0, 0, 16), (_JSET, "allow", "deny", CLONE_THREAD)]
    labels = {"allow": len(code), "deny": len(code) + 1, "enosys": len(code) + 2}
    code += [(_RET, 0, 0, _ALLOW), (_RET, 0, 0, _ERRNO | errno.EPERM),
             (_RET, 0, 0, _ERRNO | errno.ENOSYS)]

    def jump(target: object, here: int) -> int:
        return labels[target] - here - 1 if isinstance(target, str) else int(target)

    return [(op, jump(jt, i), jump(jf, i), k) for i, (op, jt, jf, k) in enumerate(code)]


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def forbid_processes() -> bool:
    """Install the filter on this process and all it starts; False where none exists.

    Raises OSError when the kernel refuses it (the submission must then not run).
    """
    try:
        program = filter_program()
    except KeyError:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    filters = (_Filter * len(program))(*program)
    fprog = _Program(len(program), filters)
    for args in ((PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0),
                 (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0)):
        if libc.prctl(*[ctypes.c_ulong(a) for a in args]) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"seccomp: {errno.errorcode.get(error, error)}")
    return True
