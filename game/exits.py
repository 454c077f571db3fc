"""The ``callback`` command's exit codes, shared by the modules that do its commands' work.

0 success; 1 invalid or unreadable input (or a failed run); 2 bad command-line usage;
130 interrupted (Ctrl+C); 141 the output was closed early (``| head``, a pager quit).
"""

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130
EXIT_OUTPUT_CLOSED = 141
"""As a shell reports a command ended by SIGPIPE (128 + 13)."""
