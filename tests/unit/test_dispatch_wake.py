"""The pipe through which accepting workers wake a dispatcher process (smsrelay.dispatch_wake):
a turn of the event loop that accepts many messages rings once, a ring wakes the listener, and
a full pipe (a dispatcher that is away) never blocks or fails an accepting worker."""

from __future__ import annotations

import asyncio
import os

from smsrelay.dispatch_wake import DispatchBell, listen


def test_many_rings_in_one_turn_write_one_byte() -> None:
    read, write = os.pipe()
    try:

        async def accept_many() -> None:
            bell = DispatchBell(write)
            for _ in range(500):
                bell.ring()
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            bell.ring()  # a later turn rings again
            await asyncio.sleep(0)

        asyncio.run(accept_many())
        os.set_blocking(read, False)
        assert os.read(read, 1024) == b"\0\0"
    finally:
        os.close(read)
        os.close(write)


def test_a_ring_wakes_the_listener_in_another_loop() -> None:
    read, write = os.pipe()
    try:

        async def dispatcher() -> int:
            woken = asyncio.Event()
            count = 0

            def wake() -> None:
                nonlocal count
                count += 1
                woken.set()

            stop = listen(read, wake)
            os.write(write, b"\0\0\0")  # three workers rang before it looked
            await asyncio.wait_for(woken.wait(), 5)
            await asyncio.sleep(0.05)
            stop()
            return count

        assert asyncio.run(dispatcher()) == 1  # one wake-up covers every ring so far
    finally:
        os.close(read)
        os.close(write)


def test_a_full_pipe_neither_blocks_nor_fails_the_worker() -> None:
    read, write = os.pipe()
    try:
        os.set_blocking(write, False)
        while True:
            try:
                os.write(write, b"\0" * 4096)
            except BlockingIOError:
                break

        async def accept() -> None:
            bell = DispatchBell(write)
            bell.ring()
            await asyncio.sleep(0)
            bell.ring()
            await asyncio.sleep(0)

        asyncio.run(asyncio.wait_for(accept(), 5))
    finally:
        os.close(read)
        os.close(write)
