"""grading.kernel_client: a client that is ready when the kernel is, and that nudges a kernel whose shell channel
missed a request (ipykernel issue #1554). A real kernel for readiness; for the nudge, a real ZMQ ROUTER standing
in for a wedged kernel, which reads a request only once a second message reaches its socket."""

from __future__ import annotations

import asyncio
import threading
from queue import Empty

import pytest
import zmq
import zmq.asyncio
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.session import Session

from grading import kernel_client
from grading.kernel_client import NudgingShellChannel, PromptKernelClient


@pytest.mark.parametrize("nudge_after", [kernel_client.NUDGE_AFTER, 0.05])
def test_a_ready_client_has_a_working_iopub(nudge_after, monkeypatch):
    """Ready means what jupyter_client's own wait means: the kernel answered kernel_info and IOPub is connected, so
    the first cell's output is not lost; also when nudges come faster than the wait's own requests (a wait that
    chased each reply's idle among ever more requests never ended)."""
    monkeypatch.setattr(kernel_client, "NUDGE_AFTER", nudge_after)

    async def scenario():
        km = AsyncKernelManager(kernel_name="python3", client_class="grading.kernel_client.PromptKernelClient")
        await km.start_kernel()
        kc = km.client()
        try:
            assert isinstance(kc, PromptKernelClient)
            kc.start_channels()
            await kc.wait_for_ready(timeout=60)
            msg_id = kc.execute("print('first output')")
            stdout = ""
            while True:
                msg = await kc.iopub_channel.get_msg(timeout=30)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    stdout += msg["content"]["text"]
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
            assert stdout == "first output\n"
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    asyncio.run(scenario())


def test_wait_for_ready_is_the_prompt_one():
    """AsyncKernelClient binds ``wait_for_ready`` to KernelClient's function: the override must be bound too."""
    assert PromptKernelClient.wait_for_ready is PromptKernelClient._async_wait_for_ready


class WedgedKernel:
    """A ROUTER socket that receives a first request but 'misses' it until another message arrives; then it
    answers the first request (what a woken ipykernel does). Records the type of every message it got."""

    def __init__(self, address: str, session: Session):
        self.context = zmq.Context()
        self.socket = self.context.socket(zmq.ROUTER)
        self.socket.linger = 0
        self.socket.bind(address)
        self.session = session
        self.received: list[str] = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        poller = zmq.Poller()
        poller.register(self.socket, zmq.POLLIN)
        first = None
        while len(self.received) < 3 and poller.poll(10_000):
            idents, msg = self.session.feed_identities(self.socket.recv_multipart())
            msg = self.session.deserialize(msg)
            self.received.append(msg["msg_type"])
            if first is None:
                first = (idents, msg)  # missed: no reply until something else reaches the socket
            elif len(self.received) == 2:
                idents, request = first
                self.session.send(self.socket, "execute_reply", {"status": "ok"}, parent=request, ident=idents)

    def close(self):
        self.thread.join(timeout=15)
        self.socket.close()
        self.context.term()


def channel_to(address: str, session: Session, context: zmq.asyncio.Context) -> NudgingShellChannel:
    socket = context.socket(zmq.DEALER)
    socket.linger = 0
    socket.connect(address)
    return NudgingShellChannel(socket, session)


def test_a_wedged_kernel_is_nudged_awake_and_its_reply_comes(tmp_path, monkeypatch):
    monkeypatch.setattr(kernel_client, "NUDGE_AFTER", 0.3)
    address = f"ipc://{tmp_path}/shell"
    session = Session(key=b"test-key")
    kernel = WedgedKernel(address, session)

    async def scenario():
        context = zmq.asyncio.Context()
        channel = channel_to(address, session, context)
        try:
            request = session.msg("execute_request", {"code": "1"})
            channel.send(request)
            reply = await channel.get_msg(timeout=20)
            return request, reply
        finally:
            channel.socket.close()
            context.term()

    request, reply = asyncio.run(scenario())
    kernel.close()
    assert reply["msg_type"] == "execute_reply"
    assert reply["parent_header"]["msg_id"] == request["header"]["msg_id"]
    assert kernel.received[:2] == ["execute_request", "kernel_info_request"]


def test_without_any_answer_the_wait_still_ends_at_its_timeout(tmp_path, monkeypatch):
    """Nudging does not make a wait endless: no message at all still raises Empty once the timeout is over, after a
    nudge for every NUDGE_AFTER seconds of it."""
    monkeypatch.setattr(kernel_client, "NUDGE_AFTER", 0.2)
    address = f"ipc://{tmp_path}/shell"
    session = Session(key=b"test-key")
    context = zmq.Context()
    silent = context.socket(zmq.ROUTER)
    silent.linger = 0
    silent.bind(address)

    async def scenario():
        actx = zmq.asyncio.Context()
        channel = channel_to(address, session, actx)
        try:
            with pytest.raises(Empty):
                await channel.get_msg(timeout=1.0)
        finally:
            channel.socket.close()
            actx.term()

    asyncio.run(scenario())
    nudges = 0
    while silent.poll(100):
        _, msg = session.feed_identities(silent.recv_multipart())
        assert session.deserialize(msg)["msg_type"] == "kernel_info_request"
        nudges += 1
    silent.close()
    context.term()
    assert 3 <= nudges <= 5
