"""bench/startup-s8/launchers.py at normal priority (no chrt), as a user runs the launcher; same arguments."""
import os, pathlib, sys

script = pathlib.Path(__file__).resolve().parents[1] / "startup-s8" / "launchers.py"
os.environ["LAUNCHERS_PRIORITY"] = "normal"
os.execv(sys.executable, [sys.executable, str(script)] + sys.argv[1:])
