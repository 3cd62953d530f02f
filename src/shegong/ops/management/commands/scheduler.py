"""`shegong scheduler`: the scheduler process of a production deployment (deploy/systemd/
shegong-scheduler.service). Every minute it books each daily task's next run and each periodic
task's next run where none is waiting (`core.schedule.book_all`), so that a booking lost with a
failed or killed run is made again; the worker (`shegong db_worker`) carries them out. Stops on
SIGTERM or SIGINT between two rounds."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from shegong.core.schedule import book_all


class Command(BaseCommand):
    help = "Book the background tasks every minute (production scheduler process)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between rounds")
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, *args, interval: float, once: bool, **options):
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        while not stop.is_set():
            booked = [task.module_path for task, _when, made in book_all() if made]
            if booked:
                self.stdout.write("booked: " + ", ".join(booked))
                self.stdout.flush()
            if once:
                break
            stop.wait(interval)
            close_old_connections()  # a connection broken or too old meanwhile is replaced
