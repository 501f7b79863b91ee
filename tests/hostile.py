"""A corpus of hostile Lab 1 submissions: each is the solution with one answer cell replaced by a trick. Used by
test_hostile.py (through the course's grading command) and benchmarks/hostile_corpus.py (which also grades the
corpus with plain nbgrader, for comparison).

Each kind: (what it tries, the answer cell it replaces, the source of that cell, the points it may deserve).
"Deserved" is what an honest grader gives: a trick around a wrong answer deserves nothing for that exercise.
"""

from __future__ import annotations

import socket
import threading

LAB = "01_distributions"
POINTS = 14
SOFTMAX_POINTS = 3
#: The wrong answer the tricks wrap: wrong on every value any check of softmax compares, so that it deserves none
#: of the exercise's points however they are split over named checks (a partly right answer would earn some).
WRONG_SOFTMAX = "def softmax(logits, axis=-1):\n    return np.zeros(np.shape(logits))\n"
MARKER = "hostile-4242"


class LoopbackListener:
    """A listener on a free loopback port that records what connections send, until closed. A hostile
    submission is given the port: anything recorded means it reached the grader's machine."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.5)
        self.port = self.socket.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()

    def _listen(self):
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
                self.received.append(connection.recv(100))
                connection.close()
            except OSError:
                continue

    def close(self) -> list[bytes]:
        """Stop listening; return what was received."""
        self._stop.set()
        self._thread.join()
        self.socket.close()
        return self.received


def corpus(solution: dict[str, str], course: str, port: int) -> dict[str, tuple[str, str, str, int]]:
    """Student id -> (what it tries, answer cell grade_id, its source, deserved points). ``course`` is the
    course root (absolute), ``port`` a loopback port on which the test listens for connections."""
    right = solution["softmax"]
    wrong = WRONG_SOFTMAX
    deserved_wrong = POINTS - SOFTMAX_POINTS

    def trick(description, code, deserved=deserved_wrong, base=None):
        return description, "softmax", f"{base if base is not None else wrong}\n{code}", deserved

    return {
        "patch_np_isclose": trick("np.isclose, np.allclose, np.array_equal and assert_allclose always agree",
                                  "np.isclose = lambda *a, **k: True\nnp.allclose = lambda *a, **k: True\n"
                                  "np.array_equal = lambda *a, **k: True\n"
                                  "np.testing.assert_allclose = lambda *a, **k: None\n"),
        "patch_math": trick("math.isclose always agrees",
                            "import math\nmath.isclose = lambda *a, **k: True\n"),
        "patch_builtins": trick("builtins all, any, isinstance and AssertionError replaced",
                                "import builtins\nbuiltins.all = lambda *a: True\nbuiltins.any = lambda *a: True\n"
                                "builtins.AssertionError = type('AssertionError', (Warning,), {})\n"),
        "patch_helpers": trick("helpers.feedback checks replaced by no-ops",
                               "import helpers.feedback as fb\n"
                               "for n in ('expect_close', 'expect_true', 'expect_raises', 'fail', 'matches'):\n"
                               "    setattr(fb, n, (lambda *a, **k: True))\n"),
        "patch_check_class": trick("the failure exception of the checks made harmless",
                                   "import helpers.feedback as fb\nfb.CheckFailed = type('CheckFailed', (), {})\n"
                                   "fb.fail = lambda *a, **k: None\n"),
        "override_showtraceback": trick("IPython's showtraceback replaced: errors print nothing",
                                        "ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\n"
                                        "ip._showtraceback = lambda *a, **k: None\n"),
        "custom_exception_handler": trick("every exception swallowed by a custom handler",
                                          "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n"),
        "post_run_hook": trick("an IPython event hook that clears the error of each cell",
                               "def _clear(result):\n    result.error_in_exec = None\n"
                               "get_ipython().events.register('post_run_cell', _clear)\n"),
        "lying_array": ("an ndarray subclass whose comparisons always agree", "softmax",
                        "class Liar(np.ndarray):\n"
                        "    def __array_function__(self, func, types, args, kwargs):\n        return True\n"
                        "    def __eq__(self, other):\n        return True\n"
                        "def softmax(logits, axis=-1):\n    return np.zeros(np.shape(logits)).view(Liar)\n",
                        deserved_wrong),
        "forged_transport": trick("json.dumps replaced to forge whatever the grader reads back",
                                  "import json\n_dumps = json.dumps\n"
                                  "json.dumps = lambda o, **k: _dumps({'value': {'kind': 'float', 'value': '1.0'}})\n"),
        "read_secrets": ("reads hidden tests, the solutions, the gradebook and another submission", "softmax",
                         f"{right}\nfor path in ['{LAB}.ipynb', '{course}/solutions/{LAB}/{LAB}.ipynb',\n"
                         f"             '{course}/gradebook.db', '{course}/submitted/honest/{LAB}/{LAB}.ipynb']:\n"
                         "    try:\n        with open(path, 'rb') as handle:\n            handle.read(100)\n"
                         "        print('READ OK', path)\n    except OSError as error:\n"
                         "        print('READ DENIED', path, type(error).__name__)\n", POINTS),
        "write_gradebook": ("rewrites every score in the gradebook to full marks", "softmax",
                            f"{right}\nimport sqlite3\ntry:\n"
                            f"    db = sqlite3.connect('{course}/gradebook.db', timeout=1)\n"
                            "    db.execute('CREATE TABLE hostile (x)')\n    db.commit()\n    print('WRITE OK')\n"
                            "except Exception as error:\n    print('WRITE DENIED', type(error).__name__)\n", POINTS),
        "write_other_submission": ("overwrites another student's submission", "softmax",
                                   f"{right}\ntry:\n"
                                   f"    with open('{course}/submitted/honest/{LAB}/{LAB}.ipynb', 'w') as h:\n"
                                   "        h.write('{}')\n    print('WRITE OK')\n"
                                   "except OSError as error:\n    print('WRITE DENIED', type(error).__name__)\n",
                                   POINTS),
        "network": ("opens a connection to the grader's loopback", "softmax",
                    f"{right}\nimport socket\ntry:\n"
                    f"    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'{MARKER}')\n"
                    "    print('CONNECTED')\nexcept OSError as error:\n    print('NO NETWORK', type(error).__name__)\n",
                    POINTS),
        "memory_bomb": ("allocates 6 GiB, 256 MiB at a time", "softmax",
                        "hoard = []\nfor _ in range(24):\n    hoard.append(bytearray(256 * 1024 * 1024))\n"
                        f"del hoard\n{right}", POINTS - SOFTMAX_POINTS),
        "fork_bomb": ("forks 1,000 processes that stay asleep", "softmax",
                      "import os\nchildren = 0\ntry:\n    for _ in range(1000):\n"
                      "        if os.fork() == 0:\n            os.execvp('sleep', ['sleep', '4243'])\n"
                      "        children += 1\nfinally:\n    print('forked', children)\n"
                      f"{right}", POINTS - SOFTMAX_POINTS),
        "left_running": ("leaves a daemon process running after the notebook", "softmax",
                         f"{right}\nimport subprocess\n"
                         f"subprocess.Popen(['sleep', '4242'], start_new_session=True)\n", POINTS),
    }
