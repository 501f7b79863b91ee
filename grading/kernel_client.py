"""``PromptKernelClient``: jupyter_client's AsyncKernelClient, ready as soon as the kernel is, and never left
waiting on a wedged shell channel.

- **Ready at once.** jupyter_client's ``wait_for_ready`` ends by flushing IOPub until 0.2 s pass without a
  message, so every kernel start costs at least 0.2 s of waiting on top of the kernel's own start. This client is
  ready at definite events instead: a ``kernel_info_reply`` on the shell channel (the kernel is up), then, on
  IOPub, the ``status: idle`` of one of its kernel_info requests (IOPub is connected; if none comes within
  ``IOPUB_WAIT``, the client asks again, as the first idle is often published before the subscription reached
  the kernel). jupyter_client takes any IOPub message within 0.2 s as that proof. Replies and IOPub messages of
  the other requests carry other parent ids, and nbclient skips those.
- **Nudged.** ipykernel 7 reads shell requests through a ZMQStream on its ROUTER socket, whose edge-triggered
  wake-up can be consumed while a reply goes out on the same socket: a request that arrives in that window sits
  unread until another message reaches the socket (ipykernel issue #1554). While grading, about one notebook in
  five had a cell waiting out its whole timeout so (then nbclient interrupts the kernel, which wakes it; the cell
  counts as run). The shell channel here sends a ``kernel_info_request`` whenever ``NUDGE_AFTER`` seconds pass
  without a shell message: a kernel that is merely busy answers it later (nbclient skips replies to other
  requests), a wedged one wakes up and reads the request it missed.

Set it with ``c.KernelManager.client_class = "grading.kernel_client.PromptKernelClient"`` (``grading.run.load_config``
does).
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets import Type

#: Seconds to wait, once the kernel replied, for the IOPub idle of a kernel_info request before asking again: the
#: first idle is often lost, published before IOPub's subscription reached the kernel (a slow joiner); that of the
#: next request arrives a few ms after its reply.
IOPUB_WAIT = 0.05
#: Seconds without a message on the shell channel after which the kernel is sent a kernel_info_request.
NUDGE_AFTER = 0.5


class NudgingShellChannel(AsyncZMQSocketChannel):
    """The shell channel, which nudges the kernel every ``NUDGE_AFTER`` s while a caller waits for a message."""

    async def get_msg(self, timeout: float | None = None) -> dict:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = NUDGE_AFTER if deadline is None else max(0.0, min(NUDGE_AFTER, deadline - time.monotonic()))
            try:
                return await super().get_msg(timeout=wait)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
                self.send(self.session.msg("kernel_info_request"))


class PromptKernelClient(AsyncKernelClient):
    shell_channel_class = Type(NudgingShellChannel)

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        sent: set[str] = set()
        reply = None
        while reply is None:  # the kernel is up once it answers one of the kernel_info requests, asked every second
            sent.add(self.kernel_info())
            try:  # the plain channel's wait: nudges here would only be more requests to answer
                msg = await AsyncZMQSocketChannel.get_msg(self.shell_channel, timeout=1)
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
