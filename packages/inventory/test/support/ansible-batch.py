#!/usr/bin/python3
"""Run several ansible CLI invocations (ansible-inventory / ansible) in ONE Python process.

The parity tests need ~10 ansible runs per fixture; starting Python and importing ansible for
each costs most of the time. Here each command still goes through the real CLI class and its
cli_executor (argument parsing, inventory loading, output), only stdout/stderr are captured.
stdin: JSON list of argv lists, argv[0] being "ansible-inventory" or "ansible".
stdout: JSON list of {"rc", "stdout", "stderr"}.
"""
import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout

from ansible.cli.adhoc import AdHocCLI
from ansible.cli.inventory import InventoryCLI
from ansible.utils.context_objects import GlobalCLIArgs
from ansible.utils.display import Display

CLASSES = {"ansible-inventory": InventoryCLI, "ansible": AdHocCLI}


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    Display()._warns = {}  # warnings and errors are de-duplicated per process; we want them per command
    Display()._errors = {}
    GlobalCLIArgs._Singleton__instance = None  # CLI arguments are a process-wide singleton
    rc = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            rc = CLASSES[argv[0]].cli_executor(argv)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
    return {"rc": rc or 0, "stdout": out.getvalue(), "stderr": err.getvalue()}


def main():
    commands = json.load(sys.stdin)
    results = [run(argv) for argv in commands]
    sys.__stdout__.write(json.dumps(results))


main()
