"""The failure classes of the compile checks: one vocabulary for C and C#.

A failed check says what went wrong with the first real problem, in the same words whatever the
language:

- `invented_name`: a function, variable, type, member or namespace that does not exist.
- `wrong_arguments`: the name exists but the call does not fit it (argument count, an argument the
  parameter cannot take, no overload, a function-like macro's arity).
- `type_error`: the names exist but types do not fit (a missing member on a real type is an
  invented name; an incompatible assignment, a conflicting declaration are type errors).
- `syntax_error`: the code does not parse.
- `missing_asset`: it includes an asset header the decomp's `make setup` extracts from a ROM, and
  none could be generated from the asset XML (not the code's fault).
- `missing_header`: it includes a header that is nowhere under the include roots.
- `needs_package`: C# that uses a Unity package the references lack (`TMPro`, the Input System).
- `needs_newer_csharp`: C# newer than the compiler's language version.
- `forbidden_include`: the code reaches outside the include roots (the compiler never ran).
- `too_large`: the code is over the check's size limit (the compiler never ran).
- `timeout`, `compiler_crash`: the compiler was stopped by a time limit, or crashed.
- `other`: anything else (`#error`, the memory limit).

C uses every class but the two C# ones; C# reports a timeout or crash as `other`.
"""

from __future__ import annotations

from typing import Literal

FailureClass = Literal[
    "invented_name",
    "wrong_arguments",
    "type_error",
    "syntax_error",
    "missing_asset",
    "missing_header",
    "needs_package",
    "needs_newer_csharp",
    "forbidden_include",
    "too_large",
    "timeout",
    "compiler_crash",
    "other",
]
