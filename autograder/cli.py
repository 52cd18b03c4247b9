"""Command line: ``python -m autograder VERB ...`` (argument parsing only).

Every module in ``autograder/commands/`` is a verb.  It defines
``HELP`` (one line), ``add_arguments(parser)`` and ``main(args) -> int``.
"""
import argparse
import importlib
import pkgutil

from . import commands


def verbs():
    """{verb name: command module}, one per module of autograder/commands."""
    found = {}
    for info in pkgutil.iter_modules(commands.__path__):
        if not info.name.startswith("_"):
            found[info.name] = importlib.import_module(f"{commands.__name__}.{info.name}")
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder",
                                     description="Auto-graded deep learning exercises.")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for name, module in sorted(verbs().items()):
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(run=module.main)
    args = parser.parse_args(argv)
    return args.run(args) or 0
