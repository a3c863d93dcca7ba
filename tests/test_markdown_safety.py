"""Text from the data reaches Streamlit's Markdown only escaped: every Markdown argument in the pages is checked.

Streamlit renders many arguments as Markdown, not only ``st.markdown``: an area name in a label, a tab, a metric or a
table cell becomes a link, an image or an icon unless it went through ``ui.md`` (``analysis.core.safety.markdown_text``).
This test reads app.py, ui.py and views/*.py with ``ast`` and fails on any Markdown argument that is not provably
safe. Safe is: a literal; an f-string whose every value is safe (or formatted as a number, ``{n:d}``); a call to an
escaping function (ESCAPERS) or to ``len``/``int``; ``+``, ``a if c else b``, ``a or b`` and ``sep.join(...)`` of safe
parts; a local name all of whose assignments are safe. Anything else (a variable from the data, an attribute, a
subscript, a call to another function, an imported constant) fails, even when it happens to be harmless today.
With ``unsafe_allow_html=True`` only literals and names bound to literals pass.

Not covered: Markdown calls reached through an alias (``say = st.info``) or ``getattr``; ``st.dataframe`` cells,
which are not Markdown; Plotly charts, which are not Markdown either but do render a little HTML (``<a href>``,
``<b>``) in titles, legends and hover text built in analysis/render/charts.py.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "app.py", ROOT / "ui.py", *sorted((ROOT / "views").glob("*.py"))]

#: The escaping functions, by the name they are called with (``ui.md`` and ``md`` are both "md").
ESCAPERS = frozenset({"md", "markdown_text", "tone_text", "md_frame"})
#: Builtins whose result is a number, which Markdown shows as it is.
NUMERIC = frozenset({"len", "int"})
#: Format types that raise for a string, so the value is a number: f"{n:d}", f"{x:.1f}".
NUMERIC_FORMATS = frozenset("bcdeEfFgGnoxX%")


@dataclass(frozen=True)
class Spec:
    """Which arguments of a call Streamlit renders as Markdown."""

    positions: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()
    all_positional: bool = False  # st.write(*args)
    sequence: bool = False  # st.tabs: a list of labels
    options: bool = False  # radio, pills, ...: the options (or format_func's output) are Markdown too


BODY = Spec((0,), ("body",))
LABEL = Spec((0,), ("label",))
ALERT = Spec((0,), ("body", "title"))
OPTIONS = Spec((0,), ("label",), options=True)
HELP_ONLY = Spec()

# Streamlit 1.67's parameters documented as Markdown ("can optionally contain GitHub-flavored Markdown"). The method
# name is matched on any receiver (st, a column, a tab, a container, st.sidebar, a status), and ``help`` of every
# call listed here is Markdown as well, as is ``help`` of st.column_config's columns (``*Column``). Not Markdown:
# selectbox and multiselect options, placeholders, st.text/st.code bodies, st.dataframe cells.
MARKDOWN_CALLS: dict[str, Spec] = {
    "markdown": BODY,
    "caption": BODY,
    "title": BODY,
    "header": BODY,
    "subheader": BODY,
    "toast": BODY,
    "info": ALERT,
    "warning": ALERT,
    "error": ALERT,
    "success": ALERT,
    "write": Spec(all_positional=True),
    "badge": LABEL,
    "spinner": Spec((0,), ("text",)),
    "progress": Spec((1,), ("text",)),
    "metric": Spec((0, 1, 2), ("label", "value", "delta")),
    "table": Spec((0,), ("data",)),  # every cell, header and index is Markdown
    "image": Spec((), ("caption",)),
    "dialog": Spec((0,), ("title",)),
    "page_link": Spec((1,), ("label",)),
    "tabs": Spec((0,), ("tabs",), sequence=True),
    "button": LABEL,
    "download_button": LABEL,
    "link_button": LABEL,
    "form_submit_button": LABEL,
    "checkbox": LABEL,
    "toggle": LABEL,
    "selectbox": LABEL,
    "multiselect": LABEL,
    "slider": LABEL,
    "text_input": LABEL,
    "text_area": LABEL,
    "number_input": LABEL,
    "date_input": LABEL,
    "time_input": LABEL,
    "color_picker": LABEL,
    "file_uploader": LABEL,
    "camera_input": LABEL,
    "audio_input": LABEL,
    "expander": LABEL,
    "popover": LABEL,
    "status": LABEL,
    "radio": OPTIONS,
    "pills": OPTIONS,
    "segmented_control": OPTIONS,
    "select_slider": OPTIONS,
    "menu_button": OPTIONS,
    "update": Spec((), ("label",)),  # st.status(...).update(label=...)
    "latex": HELP_ONLY,
    "text": HELP_ONLY,
}
#: Methods that share a name with a Streamlit call but are not one: (receiver, method).
NOT_STREAMLIT = frozenset(
    {
        ("dataset", "table"),  # Dataset.table(name) returns a DataFrame
        ("ui", "table"),  # ui.table(frame): st.dataframe, whose cells are not Markdown
    }
)
#: Methods that change a list or dict in place: a name they are called on is not "bound once".
MUTATORS = frozenset({"append", "extend", "insert", "update", "setdefault", "add", "__setitem__"})


def _root_name(node: ast.expr) -> str | None:
    """The name an expression starts from: 'lines' for lines, lines[0] and lines.x."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _call_name(func: ast.expr) -> str | None:
    """The called function's name: 'md' for md(...), ui.md(...) and x.y.md(...)."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _markdown_spec(call: ast.Call) -> Spec | None:
    """The Markdown spec of a call, or None when Streamlit does not render its arguments as Markdown."""
    funcs = [call.func.body, call.func.orelse] if isinstance(call.func, ast.IfExp) else [call.func]
    for func in funcs:  # (st.success if ok else st.error)(text)
        if isinstance(func, ast.Attribute) and func.attr.endswith("Column"):
            return HELP_ONLY  # st.column_config.TextColumn(help=...)
        if not isinstance(func, ast.Attribute) or func.attr not in MARKDOWN_CALLS:
            continue
        if (ast.unparse(func.value), func.attr) in NOT_STREAMLIT:
            continue
        return MARKDOWN_CALLS[func.attr]
    return None


class Checker:
    """Finds Markdown arguments in one module that are not provably escaped."""

    def __init__(self, source: str, filename: str = "<snippet>") -> None:
        """Parse the source and index every node's parent."""
        self.filename = filename
        self.tree = ast.parse(source)
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    # --- names -----------------------------------------------------------------------------------------------------

    def _scope_of(self, node: ast.AST) -> ast.AST:
        """The function (or the module) whose local names a node sees first."""
        parent = self.parents.get(node)
        while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            parent = self.parents.get(parent)
        return parent or self.tree

    def _bindings(self, scope: ast.AST, name: str) -> list[ast.AST] | None:
        """Every statement in a scope that binds a name (None when something else than 'name = value' binds it)."""
        found: list[ast.AST] = []
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            a = scope.args
            if name in {x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg] if x}:
                return None
        body = scope.body if isinstance(scope.body, list) else [scope.body]
        stack = list(body)
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if node.name == name:
                    return None
                continue  # another scope
            if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                continue
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                found.append(node)
                continue
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                if node.value is None:
                    continue
                found.append(node)
                continue
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, (ast.Store, ast.Del)):
                return None  # a for target, a tuple unpacking, with ... as, :=, del
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and _root_name(node) == name:
                return None  # name[i] = ...
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MUTATORS
                and _root_name(node.func.value) == name
            ):
                return None  # name.append(...)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                if any((alias.asname or alias.name.split(".")[0]) == name for alias in node.names):
                    return None
            if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
                return None
            if isinstance(node, ast.ExceptHandler) and node.name == name:
                return None
            stack.extend(ast.iter_child_nodes(node))
        return found

    def _name_safe(self, node: ast.Name, literal_only: bool, seen: frozenset[str]) -> bool:
        """True when every assignment of a name, in the scope that resolves it, is safe."""
        if node.id in seen:
            return False
        scope = self._scope_of(node)
        while True:
            bindings = self._bindings(scope, node.id)
            if bindings is None:
                return False
            if bindings:
                break
            if scope is self.tree:
                return False  # a builtin or an undefined name
            scope = self._scope_of(scope)
        return all(self.safe(b.value, literal_only, seen | {node.id}) for b in bindings)

    # --- expressions -----------------------------------------------------------------------------------------------

    def safe(
        self,
        node: ast.expr,
        literal_only: bool = False,
        seen: frozenset[str] = frozenset(),
        local: dict[str, bool] | None = None,
    ) -> bool:
        """True when an expression can only produce text that Markdown shows literally."""
        local = local or {}
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            if node.id in local:
                return local[node.id]
            return self._name_safe(node, literal_only, seen)
        if isinstance(node, ast.JoinedStr):
            return all(
                self._formatted_safe(v, literal_only, seen, local)
                for v in node.values
                if isinstance(v, ast.FormattedValue)
            )
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.safe(node.left, literal_only, seen, local) and self.safe(node.right, literal_only, seen, local)
        if isinstance(node, ast.IfExp):
            return self.safe(node.body, literal_only, seen, local) and self.safe(node.orelse, literal_only, seen, local)
        if isinstance(node, ast.BoolOp):
            return all(self.safe(v, literal_only, seen, local) for v in node.values)
        if isinstance(node, ast.Call) and not literal_only:
            name = _call_name(node.func)
            if name in ESCAPERS or (isinstance(node.func, ast.Name) and name in NUMERIC):
                return True
            if name == "join" and isinstance(node.func, ast.Attribute) and len(node.args) == 1:
                return self.safe(node.func.value, literal_only, seen, local) and self.safe_items(
                    node.args[0], literal_only, seen, local
                )
        return False

    def _formatted_safe(
        self, value: ast.FormattedValue, literal_only: bool, seen: frozenset[str], local: dict[str, bool]
    ) -> bool:
        """An f-string's {value}: safe itself (no !r or !a: repr doubles the escaping backslashes), or a number."""
        spec = value.format_spec
        if isinstance(spec, ast.JoinedStr) and spec.values and isinstance(spec.values[-1], ast.Constant):
            if str(spec.values[-1].value)[-1:] in NUMERIC_FORMATS:
                return True
        return value.conversion in (-1, ord("s")) and self.safe(value.value, literal_only, seen, local)

    def safe_items(
        self,
        node: ast.expr,
        literal_only: bool = False,
        seen: frozenset[str] = frozenset(),
        local: dict[str, bool] | None = None,
    ) -> bool:
        """True when every item of an iterable is safe (a literal list, a comprehension, map(md, ...))."""
        local = local or {}
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return all(
                self.safe_items(e.value, literal_only, seen, local)
                if isinstance(e, ast.Starred)
                else self.safe(e, literal_only, seen, local)
                for e in node.elts
            )
        if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            inner = dict(local)
            for gen in node.generators:
                ok = self.safe_items(gen.iter, literal_only, seen, inner)
                for target in ast.walk(gen.target):
                    if isinstance(target, ast.Name):
                        inner[target.id] = ok and isinstance(gen.target, ast.Name)
            return self.safe(node.elt, literal_only, seen, inner)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "map" and node.args and _call_name(node.args[0]) in ESCAPERS:
                return True
            if node.func.id in ("list", "tuple", "sorted") and len(node.args) == 1:
                return self.safe_items(node.args[0], literal_only, seen, local)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.safe_items(node.left, literal_only, seen, local) and self.safe_items(
                node.right, literal_only, seen, local
            )
        if isinstance(node, ast.Name) and node.id not in local:
            scope = self._scope_of(node)
            bindings = self._bindings(scope, node.id)
            if bindings:
                return all(self.safe_items(b.value, literal_only, seen | {node.id}, local) for b in bindings)
        return False

    def _callable_safe(self, node: ast.expr) -> bool:
        """A format_func whose output is safe: an escaper, or a lambda returning something safe."""
        if isinstance(node, ast.Lambda):
            return self.safe(node.body, local={a.arg: False for a in node.args.args})
        return _call_name(node) in ESCAPERS

    # --- calls -----------------------------------------------------------------------------------------------------

    def offences(self) -> list[str]:
        """'file:line: call(argument)' for every Markdown argument that is not provably safe."""
        found: list[str] = []
        for call in ast.walk(self.tree):
            if not isinstance(call, ast.Call):
                continue
            spec = _markdown_spec(call)
            if spec is None:
                continue
            literal_only = any(
                k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                for k in call.keywords
            )
            checked: list[tuple[str, ast.expr, bool]] = []
            for i, arg in enumerate(call.args):
                if isinstance(arg, ast.Starred):
                    checked.append((f"*{i}", arg, False))
                elif spec.all_positional or i in spec.positions:
                    checked.append((str(i), arg, spec.sequence))
            for kw in call.keywords:
                if kw.arg is None:
                    checked.append(("**", kw.value, False))
                elif kw.arg in spec.keywords or kw.arg == "help":
                    checked.append((kw.arg, kw.value, spec.sequence and kw.arg in spec.keywords))
            if spec.options:
                options = next(
                    (k.value for k in call.keywords if k.arg == "options"), call.args[1] if len(call.args) > 1 else None
                )
                format_func = next((k.value for k in call.keywords if k.arg == "format_func"), None)
                if options is not None and not (format_func is not None and self._callable_safe(format_func)):
                    checked.append(("options", options, True))
            for where, arg, sequence in checked:
                if isinstance(arg, ast.Starred):
                    ok = False
                elif sequence:
                    ok = self.safe_items(arg, literal_only)
                else:
                    ok = self.safe(arg, literal_only)
                if not ok:
                    found.append(f"{self.filename}:{call.lineno}: {ast.unparse(call.func)}({where}={ast.unparse(arg)})")
        return found


def offences(source: str, filename: str = "<snippet>") -> list[str]:
    """Markdown arguments in a module's source that are not provably escaped."""
    return Checker(source, filename).offences()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_markdown_argument_is_escaped(path):
    assert offences(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) == []


# --- the rule catches offenders and accepts the safe forms ---------------------------------------------------------

UNSAFE = {
    "a bare variable": "name = area()\nst.markdown(name)",
    "an unescaped f-string": "st.markdown(f'**{area}**')",
    "an attribute": "st.info(sp.summary)",
    "a subscript": "st.caption(meta['comparability'])",
    "a call to another function": "st.warning(editing_notice(p, v))",
    "an imported constant": "from analysis.measures.compare import THRESHOLD_TEXT\nst.caption(THRESHOLD_TEXT)",
    "a label keyword": "st.page_link('views/x.py', label=f'Nulägesbild {card.area}')",
    "a page_link label by position": "st.page_link('views/x.py', card.area)",
    "a method call on a column": "cols = st.columns(2)\ncols[0].markdown(area)",
    "a method call on a tab": "tab.caption('Källa: ' + source)",
    "a method call on a container": "where.info(f'{n} {area}')",
    "a help tooltip": "st.metric('Folkmängd', 1, help=f'Senaste år: {year}')",
    "a column's help": "st.column_config.TextColumn('Åtgärd', help=comment)",
    "a metric value": "st.metric('Folkmängd', card.population)",
    "a widget label": "st.selectbox(f'Område {area}', areas)",
    "an expander label": "st.expander(f'Diagram: {title}')",
    "a button label": "st.download_button(f'Word, {area}', data=b'')",
    "tab labels": "st.tabs([area, 'Tabell'])",
    "tab labels from a name": "st.tabs(list(VIEWS))",
    "a status label": "status.update(label=text)",
    "an alert title": "st.error('Fel', title=name)",
    "st.write": "st.write('Nya områden:', names)",
    "a table": "st.table(frame)",
    "radio options": "st.radio('Område', areas)",
    "a conditional call": "(st.success if ok else st.error)(message)",
    "a join of data": "st.markdown(', '.join(areas))",
    "a join of a comprehension": "st.markdown('\\n'.join(f'- {n}' for n in notes))",
    "a parameter": "def f(heading):\n    st.subheader(heading)",
    "a loop variable": "for s in statuses:\n    st.metric(s, 1)",
    "a name assigned once safe and once not": "t = md(a)\nif x:\n    t = a\nst.caption(t)",
    "a list appended to": "lines = [md(a)]\nlines.append(b)\nst.caption(' · '.join(lines))",
    "a list item replaced": "lines = [md(a)]\nlines[0] = b\nst.caption(' · '.join(lines))",
    "repr of escaped text": "st.caption(f'{md(a)!r}')",
    "escaped text with HTML allowed": "st.markdown(md(a), unsafe_allow_html=True)",
    "format() of a string": "st.caption('{}'.format(a))",
    "a string format spec": "st.caption(f'{a:>10}')",
}
SAFE = {
    "a literal": "st.markdown('**Exempeldata:** påhittade värden')",
    "an escaped value": "st.markdown(ui.md(card.sentence))",
    "an f-string of escaped values": "st.caption(f'Jämfört med {md(ref)}, sedan {baseline:d}.')",
    "a number": "st.metric('Åtgärder', len(rows), help=f'Av {total:d} åtgärder.')",
    "int()": "col.metric(md(status), int(counts[status]))",
    "tone_text": "st.markdown(ui.tone_text(k.gap_verdict, k.verdict_tone))",
    "a concatenation": "st.caption('Urval: ' + md(x) + '.')",
    "a conditional": "st.caption(md(a) if a else 'ingen fil')",
    "or": "st.caption(md(a) or '–')",
    "a join of a comprehension of escaped items": "st.markdown('\\n'.join(f'- {md(n)}' for n in notes))",
    "a join of map(md)": "st.write(', '.join(map(ui.md, names)))",
    "a join of a literal list": "st.caption('  \\n'.join([*(md(n) for n in notes), f'Bild {n:d}']))",
    "a join over escaped items": "st.markdown(' '.join(v for v in (md(a), tone_text(b, c)) if v))",
    "a local name bound to escaped text": "verdict = ui.tone_text(a, b)\nst.markdown(f'**{md(n)}**  \\n{verdict}')",
    "a module constant": "NOTE = 'Inga värden.'\ndef f():\n    st.info(NOTE)",
    "escaped tab labels": "st.tabs([md(v) for v in VIEWS])",
    "radio with an escaping format_func": "st.radio('Kön', SEXES, format_func=ui.md)",
    "a table of escaped cells": "st.table(ui.md_frame(slide.table.frame()))",
    "a status label": "status.update(label='Klar.', state='complete')",
    "a conditional call of escaped text": "(st.success if ok else st.error)(md(message))",
    "literal HTML": "CSS = '<style>x</style>'\nst.markdown(CSS + ('' if a else CSS), unsafe_allow_html=True)",
    "not a Streamlit call": "dataset.table(name)",
    "st.dataframe through ui.table": "ui.table(frame, container=tab)",
    "arguments that are not Markdown": "st.selectbox('Område', areas, format_func=lambda a: a, key=k)",
}


@pytest.mark.parametrize("source", UNSAFE.values(), ids=UNSAFE.keys())
def test_the_rule_catches_unescaped_text(source):
    assert len(offences(source)) == 1, offences(source)


@pytest.mark.parametrize("source", SAFE.values(), ids=SAFE.keys())
def test_the_rule_accepts_escaped_and_literal_text(source):
    assert offences(source) == []
