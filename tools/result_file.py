"""Reading a pinnkit result file for the table tools: its status, /metrics
attributes and /history columns (docs/hdf5.md)."""
import h5py
import numpy as np


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def read_result(path):
    """{"status": str, "metrics": {name: float}, "history": {column: array}}; h5py's errors pass through."""
    with h5py.File(path, "r") as f:
        metrics = {k: float(v) for k, v in f["metrics"].attrs.items()} if "metrics" in f else {}
        history = {k: np.asarray(f["history"][k]) for k in f["history"].keys()} if "history" in f else {}
        return {"status": text(f.attrs.get("status", b"?")), "metrics": metrics, "history": history}
