"""grading.kernel_client: a client that is ready when the kernel is, with a real kernel."""

from __future__ import annotations

import asyncio

from jupyter_client.manager import AsyncKernelManager

from grading.kernel_client import PromptKernelClient


def test_a_ready_client_has_a_working_iopub():
    """Ready means what jupyter_client's own wait means: the kernel answered kernel_info and IOPub is connected, so
    the first cell's output is not lost."""

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
