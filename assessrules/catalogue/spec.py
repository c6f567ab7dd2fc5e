"""The catalogue's texts for a spec: its files, its schema, its sections and its expressions."""

from __future__ import annotations

from ._message import Message

MESSAGES: dict[str, Message] = {
    "spec.invalid": Message("the spec is not valid", "考评细则有误", "考评细则有误：{message}"),
    "spec.not_found": Message("no spec file and no bundled spec of that id", "找不到该考评细则",
                              "找不到考评细则：{message}"),
    "spec.file": Message("the spec file cannot be read or is not valid YAML", "考评细则文件无法读取或不是有效的 YAML",
                         "考评细则文件有误：{message}"),
    "spec.schema": Message("the spec does not have the shape the spec schema requires", "考评细则的结构不符合规范",
                           "考评细则的结构不符合规范：{message}"),
    "spec.extends": Message("an `extends:` override is wrong", "`extends:` 覆盖有误", "`extends:` 覆盖有误：{message}"),
}
