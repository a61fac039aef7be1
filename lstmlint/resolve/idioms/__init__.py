"""Idioms of real model code: what a call into a library means to the evaluator.

One module per family, each with a ``HANDLERS`` table from the qualified names it handles to a
handler ``(interp, qualname, args, kwargs, node) -> value``, and optionally ``PREFIXES`` (a
handler for every name under a prefix such as ``"random."``).  As astroid's ``brain/`` modules
and mypy's plugins do it: a new idiom (OmegaConf, hydra, ...) is one new module listed in
``MODULES`` below; nothing else changes.  A call no module handles has an unknown result with
its name in the reason, and the evaluator treats what was handed to it as possibly changed.

* ``argparse_``   ``argparse.ArgumentParser`` and its parser objects (defaults, ``parse_args([...])``)
* ``namespaces``  attribute bags: ``SimpleNamespace``, ``EasyDict``, ``ml_collections.ConfigDict``, ...
* ``fields``      dataclass / attrs / pydantic fields and factories, ``dataclasses.replace``/``asdict``,
                  ``copy.copy``/``deepcopy``, ``enum.auto``
* ``cli``         typer / fire / click entry points and options
* ``functional``  ``functools.partial``
* ``torch_``      ``nn.Sequential`` / ``ModuleList`` / ``ModuleDict`` as containers
* ``torch_shapes`` a dummy forward pass through a conv stack (``nn.Conv2d``, pooling, ``Flatten``, ...) on
                  ``torch.zeros(...)``: the size a feature extractor hands to the recurrent layer
* ``data_files``  data files of the project read by a literal path: ``json.load(open(...))``,
                  ``yaml.safe_load``, ``OmegaConf.load`` (read, never executed)
* ``arrays``      arrays whose shape is in the code: ``np.zeros((2, 10, 8))``, ``np.arange(n).reshape(...)``,
                  ``np.random.normal(size=...)``, ``torch.randn(...)``, ``keras.random.normal(...)``
* ``datasets``    the datasets built into Keras (documented shapes) and ``to_categorical`` /
                  ``pad_sequences`` / ``reshape`` of them
* ``ini``         INI files read with ``configparser`` (``getint``, section proxies, interpolation)
* ``paths``       paths built from ``__file__`` (``os.path.join(os.path.dirname(__file__), ...)``,
                  ``Path(__file__).parent / "data"``) that name the project's data files
* ``tensor_ops``  ``keras.ops`` shape arithmetic on symbolic tensors inside custom layers (element-wise,
                  broadcasting, reductions, ``ops.shape``, ``ops.arange``)
* ``hydra_``      ``@hydra.main(config_path=..., config_name=...)``: the config hydra composes from the
                  project's YAML files (defaults list, packages, interpolations) without overrides
* ``stdlib``      ``ast.literal_eval``, ``os.environ``, ``math`` / ``numpy`` arithmetic, ``sys.exit``,
                  and the calls whose result is data read at run time
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from ..values import Unknown
from . import (
    argparse_,
    arrays,
    cli,
    data_files,
    datasets,
    fields,
    functional,
    hydra_,
    ini,
    namespaces,
    paths,
    stdlib,
    tensor_ops,
    torch_,
    torch_shapes,
)

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Handler = Callable[["Interpreter", str, list[Any], dict[str, Any], Optional["cst.Call"]], Any]

MODULES = (argparse_, namespaces, fields, cli, functional, torch_, torch_shapes, data_files, ini, paths, hydra_, arrays,
           datasets,
           tensor_ops, stdlib)

HANDLERS: dict[str, Handler] = {}
PREFIXES: list[tuple[str, Handler]] = []
#: library decorators called with arguments (``@hydra.main(...)``): ``(interp, qn, args, kwargs, fn) -> value``
DECORATORS: dict[str, Callable[..., Any]] = {}
for _module in MODULES:
    DECORATORS.update(getattr(_module, "DECORATORS", {}))
    for _name, _handler in _module.HANDLERS.items():
        assert _name not in HANDLERS, f"{_name} is handled twice"
        HANDLERS[_name] = _handler
    PREFIXES.extend(getattr(_module, "PREFIXES", {}).items())
PREFIXES.sort(key=lambda item: -len(item[0]))  # the most specific prefix first


def call_external(interp: "Interpreter", qn: str, args: list[Any], kwargs: dict[str, Any],
                  node: Optional["cst.Call"]) -> Any:
    """The value of calling the library function (or class) ``qn``."""
    handler = HANDLERS.get(qn)
    if handler is None:
        handler = next((h for prefix, h in PREFIXES if qn.startswith(prefix)), None)
    if handler is not None:
        return handler(interp, qn, args, kwargs, node)
    short = qn.rsplit(".", 1)[-1]
    return Unknown(f"the result of `{short}(...)` (from `{qn}`) is not known statically")
