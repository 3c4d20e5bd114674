"""Errors the ncv CLI turns into one clear line and an exit status (system.md)."""

EXIT_PASS = 0
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class NcvError(Exception):
    """An error with its exit status; its text is the one line the user sees."""

    status = EXIT_INTERNAL


class UsageError(NcvError):
    """Bad input: command line, test list, config, program or firmware image."""

    status = EXIT_USAGE

    def __init__(self, message, path=None, field=None):
        where = ""
        if path is not None:
            where = str(path)
            if field:
                where += f": field '{field}'"
            where += ": "
        super().__init__(where + message)
        self.path = path
        self.field = field


class InfraError(NcvError):
    """The environment failed (build, missing tool, timeout of the runner itself)."""

    status = EXIT_INTERNAL
