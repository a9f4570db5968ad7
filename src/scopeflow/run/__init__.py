"""``scopeflow run``: unmodified TF1 scripts (``import tensorflow as tf``) on scopeflow.

The top layer: it may import everything; nothing but ``scopeflow.cli`` imports it.

>>> from scopeflow.run import tensorflow_import_hook
>>> with tensorflow_import_hook():
...     import tensorflow as tf
...     print(tf.__version__, tf.compat.v1.get_variable is tf.get_variable)
1.15.5 True
"""

from scopeflow.run._hook import TensorFlowFinder, tensorflow_import_hook
from scopeflow.run._modules import PRIVATE_MODULES, TFModule
from scopeflow.run._runner import run_script

__all__ = [
    "PRIVATE_MODULES",
    "TFModule",
    "TensorFlowFinder",
    "run_script",
    "tensorflow_import_hook",
]
