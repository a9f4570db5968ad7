"""Top-level ``tf.*`` names of the array op family (re-exports only).

Each op family has its own export module so that families can grow independently; the ``tf``
namespace (``compat/v1/__init__.py``) star-imports all of them.
"""

__all__: list[str] = []
