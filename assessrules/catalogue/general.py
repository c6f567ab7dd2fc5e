"""The catalogue's texts for errors of no one area, usage, evaluation and the service."""

from __future__ import annotations

from ._message import Message

MESSAGES: dict[str, Message] = {
    "evaluation.failed": Message("a valid rule could not be evaluated on valid facts", "规则无法在该数据上计算",
                                 "规则无法计算：{message}"),
    "usage.invalid": Message("the command line or the API was used wrongly", "用法有误", "用法有误：{message}"),
    "usage.as_of": Message("the assessment date is not a date", "考核日期不是有效日期", "考核日期有误：{message}"),
    "error": Message("an error", "错误"),
    "usage.io": Message("a file could not be read or written", "文件无法读写", "文件无法读写：{message}"),
    "request.invalid": Message("the request is not valid (body, query or media type)", "请求无效", "请求无效：{message}"),
    "request.not_found": Message("no such resource", "资源不存在", "资源不存在：{message}"),
    "request.method": Message("the method is not allowed on this resource", "不允许的请求方法"),
    "request.too_large": Message("the request body is larger than the service accepts", "请求体过大"),
    "request.timeout": Message("the request took longer than the service allows", "请求处理超时"),
    "internal.error": Message("an internal error (a bug)", "内部错误（程序缺陷）"),
}
