"""The code's shape: no function in src/ longer than 80 lines (the project's rule for readable,
reviewable rules; a longer one is cut along what it answers)."""
import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_FUNCTION_LINES = 80


def _long_functions(root: Path, limit: int) -> list[str]:
    """Each function or method over ``limit`` lines, as file:line:name:length."""
    out = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    out.append(f"{path.relative_to(root)}:{node.lineno}:{node.name}:{length}")
    return out


def test_no_function_over_80_lines():
    offenders = _long_functions(SRC, MAX_FUNCTION_LINES)
    assert not offenders, "functions over 80 lines:\n" + "\n".join(offenders)


def test_the_check_finds_a_long_function(tmp_path):
    """The scan itself: a 81-line function is reported, an 80-line one is not."""
    body = "\n".join(f"    x{i} = {i}" for i in range(79))
    (tmp_path / "m.py").write_text(f"def short():\n{body}\n\n\ndef long():\n{body}\n    y = 1\n")
    assert _long_functions(tmp_path, MAX_FUNCTION_LINES) == ["m.py:83:long:81"]
