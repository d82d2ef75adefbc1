"""The platform's service files: loaded from a folder, reloaded when a file changes.

Every open of a session looks at the folder's files (name, size, modification time); when
anything changed, every file is loaded again. A malformed file is refused with one error
line (``file:line: what``, logged and kept in :attr:`ServiceRegistry.errors`); the other
files still load. :meth:`ServiceRegistry.reload` forces a reload (the host's command).
"""

from __future__ import annotations

import logging
from pathlib import Path

from xpos.refhost.services.model import Service, ServiceError, StepSpec, parse_service

log = logging.getLogger(__name__)

SHIPPED = Path(__file__).resolve().parent / "shipped"
"""The demo services shipped with the reference host."""

MENU_ID = "menu"
"""The built-in service that lists the others (the X menu's 互动业务 item)."""


class ServiceRegistry:
    """The services of one folder.

    Args:
        directory: Folder of ``*.toml`` service files; default :data:`SHIPPED`.
        extra: A second folder (the operator's: ``<host data>/host/services``), read after
            ``directory``; it need not exist.
    """

    def __init__(self, directory: Path | None = None, *, extra: Path | None = None) -> None:
        self.directory = directory or SHIPPED
        self.extra = extra
        self.errors: list[str] = []
        self._services: dict[str, Service] = {}
        self._stamp: tuple[tuple[str, int, int], ...] | None = None

    def reload(self) -> list[str]:
        """Load every file again; return the error lines (empty when all loaded)."""
        services: dict[str, Service] = {}
        errors: list[str] = []
        for path in self._files():
            try:
                service = parse_service(path.read_text(encoding="utf-8"), path=str(path))
            except (ServiceError, OSError, UnicodeDecodeError) as exc:
                errors.append(str(exc))
                log.error("service file refused: %s", exc)
                continue
            if service.id in services or service.id == MENU_ID:
                errors.append(f"{path}:1: duplicate service id {service.id!r}")
                log.error("service file refused: %s", errors[-1])
                continue
            services[service.id] = service
        self._services, self.errors = services, errors
        self._stamp = self._current_stamp()
        log.info("services loaded: %s", ", ".join(services) or "none")
        return errors

    def get(self, service_id: str) -> Service | None:
        """The service ``service_id`` (the file reloaded first if it changed)."""
        self._refresh()
        if service_id == MENU_ID:
            return self.menu()
        return self._services.get(service_id)

    def services(self) -> list[Service]:
        """Every loaded service, by id."""
        self._refresh()
        return [self._services[k] for k in sorted(self._services)]

    def menu(self) -> Service:
        """The built-in service that offers the loaded ones in a select step."""
        items = tuple((s.id, s.title) for s in self.services())
        steps = (StepSpec(type="select", text="互动业务", name="service", items=items),
                 StepSpec(type="end", text="互动业务\n\n暂无业务"))
        return Service(id=MENU_ID, title="互动业务", title_en="Services", steps=steps,
                       tables={}, path="(built in)")

    def _refresh(self) -> None:
        if self._stamp != self._current_stamp():
            self.reload()

    def _current_stamp(self) -> tuple[tuple[str, int, int], ...]:
        stamp = []
        for path in self._files():
            try:
                info = path.stat()
            except OSError:
                continue
            stamp.append((str(path), info.st_size, info.st_mtime_ns))
        return tuple(stamp)

    def _files(self) -> list[Path]:
        folders = [self.directory] + ([self.extra] if self.extra is not None else [])
        return [p for folder in folders if folder.is_dir() for p in sorted(folder.glob("*.toml"))]
