"""``PromptKernelClient``: jupyter_client's AsyncKernelClient, ready as soon as the kernel is.

- **Ready at once.** jupyter_client's ``wait_for_ready`` ends by flushing IOPub until 0.2 s pass without a
  message, so every kernel start costs at least 0.2 s of waiting on top of the kernel's own start. This client is
  ready at definite events instead: a ``kernel_info_reply`` on the shell channel (the kernel is up), then, on
  IOPub, the ``status: idle`` of one of its kernel_info requests (IOPub is connected; if none comes within
  ``IOPUB_WAIT``, the client asks again, as the first idle is often published before the subscription reached
  the kernel). jupyter_client takes any IOPub message within 0.2 s as that proof. Replies and IOPub messages of
  the other requests carry other parent ids, and nbclient skips those.

Set it with ``c.KernelManager.client_class = "grading.kernel_client.PromptKernelClient"`` (``grading.run.load_config``
does).
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient

#: Seconds to wait, once the kernel replied, for the IOPub idle of a kernel_info request before asking again: the
#: first idle is often lost, published before IOPub's subscription reached the kernel (a slow joiner); that of the
#: next request arrives a few ms after its reply.
IOPUB_WAIT = 0.05


class PromptKernelClient(AsyncKernelClient):
    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        sent: set[str] = set()
        reply = None
        while reply is None:  # the kernel is up once it answers one of the kernel_info requests, asked every second
            sent.add(self.kernel_info())
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                msg = None
            if msg is not None and msg["msg_type"] == "kernel_info_reply":
                reply = msg
            elif not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if reply is None and time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while not await self._iopub_idle(sent, deadline):  # then IOPub is connected once it brings one's idle
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel's IOPub didn't connect in {timeout:.0f} seconds")
            sent.add(self.kernel_info())
        self._handle_kernel_info_reply(reply)

    wait_for_ready = _async_wait_for_ready  # AsyncKernelClient binds the name to KernelClient's own function

    async def _iopub_idle(self, requests: set[str], deadline: float) -> bool:
        """True once IOPub delivers the ``status: idle`` of one of ``requests``; False after ``IOPUB_WAIT`` s (or
        at ``deadline``) without it (IOPub not yet connected: the caller asks again)."""
        until = min(deadline, time.monotonic() + IOPUB_WAIT)
        while (left := until - time.monotonic()) > 0:
            try:
                msg = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"
                    and msg["parent_header"].get("msg_id") in requests):
                return True
        return False
