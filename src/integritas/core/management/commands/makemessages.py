"""`integritas makemessages`: Django's command, made to give a catalogue that changes only
where the strings changed (`make messages`).

Three differences from Django's own:

- Templates in `jinja2/` folders are read by Jinja2's own parser, so every `_()`,
  `gettext()`, `ngettext()` and `pgettext()` call with literal strings is found, also
  inside an expression (`{{ a or _("systeem") }}`), a `{% set %}` or a macro call. Django
  reads them as Django templates and finds only a `_("…")` that opens a `{{ }}`. A
  template Jinja2 cannot parse stops the command, instead of losing its strings.
- msgmerge does no fuzzy matching: a new msgid gets an empty msgstr, not a guess from a
  similar msgid. Fuzzy entries are left out of the compiled catalogue anyway, and
  tests/core/test_i18n.py refuses them.
- A catalogue whose only change would be the POT-Creation-Date of its header is left as it
  was, so running the command on an unchanged tree changes nothing.
"""

import os
import re
from pathlib import Path
from typing import Any

from django.core.management.commands import makemessages
from jinja2 import nodes
from jinja2.ext import GETTEXT_FUNCTIONS, extract_from_ast

from integritas.core.jinja import environment

POT_CREATION_DATE = re.compile(r'^"POT-Creation-Date: [^"]*"\n', re.MULTILINE)


def _is_jinja2_template(path: str) -> bool:
    return "jinja2" in Path(path).parts[:-1]


def _literal(value: Any) -> str:
    """A Python literal xgettext reads back as the same string (a number for a count)."""
    return repr(value) if isinstance(value, str) else "1"


def jinja2_templatize(source: str, *, origin: str) -> str:
    """Python source with a gettext call for each translatable string of a Jinja2 template,
    on the line of the template where the string is, for xgettext (as Django's
    `templatize()` does for its own templates)."""
    template: nodes.Template = environment().parse(source, filename=origin)
    lines: dict[int, list[str]] = {}
    for lineno, function, messages in extract_from_ast(template, GETTEXT_FUNCTIONS):
        arguments = messages if isinstance(messages, tuple) else (messages,)
        if not any(isinstance(argument, str) for argument in arguments):
            continue  # no literal to extract, e.g. _(variable)
        name = "gettext" if function == "_" else function
        call = f"{name}({', '.join(_literal(argument) for argument in arguments)})"
        lines.setdefault(lineno, []).append(call)
    last = max(lines, default=0)
    return "\n".join(" ".join(lines.get(lineno, [])) for lineno in range(1, last + 1)) + "\n"


class BuildFile(makemessages.BuildFile):
    def preprocess(self) -> None:
        if not (self.is_templatized and _is_jinja2_template(self.path)):
            super().preprocess()
            return
        with open(self.path, encoding="utf-8") as fp:
            content = jinja2_templatize(fp.read(), origin=self.path[2:])
        with open(self.work_path, "w", encoding="utf-8") as fp:
            fp.write(content)


class Command(makemessages.Command):
    build_file_class = BuildFile
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def write_po_file(self, potfile: str, locale: str) -> None:
        pofile = os.path.join(os.path.dirname(potfile), locale, "LC_MESSAGES", f"{self.domain}.po")
        before = Path(pofile).read_text(encoding="utf-8") if os.path.exists(pofile) else None
        super().write_po_file(potfile, locale)
        after = Path(pofile).read_text(encoding="utf-8")
        if before is not None and POT_CREATION_DATE.sub("", before) == POT_CREATION_DATE.sub(
            "", after
        ):
            Path(pofile).write_text(before, encoding="utf-8")
