"""Following one map's events from a pane, with a debounced rebuild."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QTimer

from ..core.model import ArgMap, MapEvent


class MapFollower:
    """Subscribes a pane to the map it shows and debounces its rebuilds.

    ``on_event(event)`` sees every model event; ``schedule()`` asks for
    ``rebuild()`` after ``delay_ms`` (each call restarts the wait);
    ``flush()`` applies a pending rebuild at once.
    """

    def __init__(self, owner: QObject, on_event: Callable[[MapEvent], None],
                 rebuild: Callable[[], None], delay_ms: int) -> None:
        self._on_event = on_event
        self._unsubscribe: Callable[[], None] | None = None
        self.timer = QTimer(owner)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(rebuild)
        self._rebuild = rebuild

    def follow(self, amap: ArgMap | None) -> None:
        """Stop following the previous map; follow ``amap`` (None: nothing)."""
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        if amap is not None:
            self._unsubscribe = amap.subscribe(self._on_event)

    def schedule(self) -> None:
        self.timer.start()

    @property
    def pending(self) -> bool:
        return self.timer.isActive()

    def cancel(self) -> None:
        self.timer.stop()

    def flush(self) -> None:
        """Apply a pending rebuild now."""
        if self.timer.isActive():
            self._rebuild()
