"""Edit a Word file in LibreOffice with track changes on, as a counterparty would, and save it
as .docx: `/usr/bin/python3 libreoffice_edit.py IN.docx OUT.docx PROFILE_DIR OLD NEW AUTHOR`.

Run by the system Python, which has LibreOffice's UNO bridge (python3-uno); not imported
by the test suite itself.
"""

import subprocess
import sys
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(source: str, target: str, profile: str, old: str, new: str, author: str) -> None:
    pipe = f"clausesmith_{Path(profile).name}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext()
        )
        for _ in range(240):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # not listening yet
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(
            Path(source).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),)
        )
        _set_author(manager, context, author)
        document.RecordChanges = True
        search = document.createReplaceDescriptor()
        search.SearchString, search.ReplaceString = old, new
        replaced = document.replaceAll(search)
        if replaced != 1:
            raise SystemExit(f"{old!r} found {replaced} times")
        document.storeToURL(
            Path(target).resolve().as_uri(), (prop("FilterName", "MS Word 2007 XML"),)
        )
        document.close(True)
    finally:
        office.terminate()
        office.wait(timeout=60)


def _set_author(manager: object, context: object, author: str) -> None:
    """The user name LibreOffice writes as the author of each tracked change."""
    provider = manager.createInstanceWithContext(  # type: ignore[attr-defined]
        "com.sun.star.configuration.ConfigurationProvider", context
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),),
    )
    access.setPropertyValue("givenname", author)
    access.commitChanges()


if __name__ == "__main__":
    main(*sys.argv[1:7])
