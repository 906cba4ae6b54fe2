"""Where clausesmith follows the internals of docxtpl and Jinja, a fingerprint of each upstream
function it follows: a new release that changes one fails here, naming the clausesmith
function to re-check, before a changed byte or an open hole reaches a user.

pyproject.toml caps both below their next minor version; within it, a patch release that
touches one of these functions is read before it is trusted. After re-checking, update the
fingerprint the failure prints."""

from __future__ import annotations

import hashlib
import importlib
import inspect
from importlib.metadata import version
from typing import Any

import pytest

# upstream function: (sha256 of its source, the clausesmith code that mirrors it); above each,
# how it mirrors it
MIRRORED: dict[str, tuple[str, str]] = {
    # copied with the parts measured before the join
    "jinja2.compiler.CodeGenerator.visit_Concat": (
        "be4721533d19611d2e773a3642d56e8a9163dbf9217f56eb0d9c3c60aa87d34c",
        "clausesmith.templating.limits._LimitedCodeGenerator.visit_Concat",
    ),
    # wraps node.iter, which Jinja's must still visit once
    "jinja2.compiler.CodeGenerator.visit_For": (
        "d4f9a74e3bdffca6cfa2faf4e49bc66309f6397f721adbee060bd476b168991f",
        "clausesmith.templating.limits._LimitedCodeGenerator.visit_For",
    ),
    # a private method overridden
    "jinja2.environment.Environment._parse": (
        "a3e20ac331a8a4c7e3f8c3fa76bbe9598d24579e195e646d2b3eb5382b86cb12",
        "clausesmith.templating.limits.LimitedSandbox._parse",
    ),
    # replaced by a plain dict snapshot
    "jinja2.environment.Environment.make_globals": (
        "b6eb9ef15eaebcafb4863fef5477e15189712818eb3ca610fc9223bba7a4dffb",
        "clausesmith.templating.limits.LimitedSandbox.make_globals",
    ),
    # loads marshalled code as Jinja does
    "jinja2.environment.Template.from_code": (
        "6e9fe7de7341640e3e5b192edb0798009209917676a83fb8bb531494ea4a7767",
        "clausesmith.templating.limits.load_template",
    ),
    # a short road for dicts and dataclasses
    "jinja2.sandbox.SandboxedEnvironment.getattr": (
        "d5022b42a9425c440cc875fc2732e75c3d45db95c6da81254f0bc0b55e353017",
        "clausesmith.templating.limits.LimitedSandbox.getattr",
    ),
    # counted and depth-limited around it
    "jinja2.sandbox.SandboxedEnvironment.call": (
        "dec31de35df6b71a552fc2737b6347bc282c2ecd37fd33eb3da4dc20e786e165",
        "clausesmith.templating.limits.LimitedSandbox.call",
    ),
    # guarded around it
    "jinja2.sandbox.SandboxedEnvironment.call_binop": (
        "393f399d5581f8e2ea2e0a36cff5a860cb22578316400fb9614fb43f11cf1e1a",
        "clausesmith.templating.limits.LimitedSandbox.call_binop",
    ),
    # reads jinja_pass_arg as Jinja does
    "jinja2.utils._PassArg.from_obj": (
        "3b203f19a15bee16d788c14307b7f5c7c14ec47a3a81b4adf48fdb43c225aba0",
        "clausesmith.templating.limits.guard_filter",
    ),
    # the same steps, in the same order
    "docxtpl.template.DocxTemplate.render": (
        "6ea018943e2fe4ab27d374e8db1baee6fdaa89eb7b4f56c4fa9b6507cdd99b3f",
        "clausesmith.docx.compiled.Compiled.render",
    ),
    # the same post-processing of the Jinja output
    "docxtpl.template.DocxTemplate.render_xml_part": (
        "b762e42956e6709cb26409bb4d4bc5e0660ea28675427bca8fb667d743b6a05d",
        "clausesmith.docx.compiled.Compiled._render",
    ),
    # the same properties, in its order
    "docxtpl.template.DocxTemplate.render_properties": (
        "41396f7eb8af1c43d9d2c99ee19487cc764d351b58b523074198901628b312fb",
        "clausesmith.docx.compiled.RENDERED_PROPERTIES",
    ),
    # the same cleaning before compiling
    "docxtpl.template.DocxTemplate.build_xml": (
        "210792ef9e97b524c4527d7dcf8b93dd5b575908ae6bb27471e83c4a0ff9c362",
        "clausesmith.docx.compiled.prepare",
    ),
    # the same parts, cleaned the same way
    "docxtpl.template.DocxTemplate.build_headers_footers_xml": (
        "ab0cb4a4c15874838e40aec6ce895a5108550bdf8f949c37f2121004574f7ac3",
        "clausesmith.docx.compiled.prepare",
    ),
    # headers and footers serialised as it does
    "docxtpl.template.DocxTemplate.map_headers_footers_xml": (
        "9737c6b04fb774480673e01ddf479a895a77d7f748ca0ba277b8ce788780aae0",
        "clausesmith.docx.compiled.Compiled.render",
    ),
    # skipped when none of its four characters occur
    "docxtpl.template.DocxTemplate.resolve_listing": (
        "20441608d64f33fd8c5964aff475aa9972d071bf282c6c42b9db4be0091d7bca",
        "clausesmith.docx.compiled.Compiled._render",
    ),
    # the zip python-docx would save, laid out by zipwrite
    "docxtpl.template.DocxTemplate.save": (
        "39f64a3b0c2eefce5ac61cd151d60a69c42d9eb3760f33eded306195b0709d3d",
        "clausesmith.docx.compiled.Compiled.render",
    ),
}


def resolve(dotted: str) -> Any:
    """The object a dotted name names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for part in parts[i:]:
            found = getattr(found, part)
        return found
    raise ImportError(dotted)


@pytest.mark.parametrize("upstream", sorted(MIRRORED))
def test_the_upstream_function_clausesmith_mirrors_is_unchanged(upstream: str) -> None:
    fingerprint, ours = MIRRORED[upstream]
    resolve(ours)  # the clausesmith side still exists under that name
    source = inspect.getsource(resolve(upstream))
    found = hashlib.sha256(source.encode("utf-8")).hexdigest()
    package = upstream.split(".")[0]
    assert found == fingerprint, (
        f"{upstream} changed in {package} {version(package)}: re-check {ours} against it, "
        f"then set its fingerprint here to {found}"
    )
