"""WARC capture, replay and re-extraction (docs/warc.md).

capture: the downloader/spider middlewares and the pointer pipeline; writer: rotating WARC files from a thread;
read: reading a capture back; reextract and importer: extraction over stored or third-party WARC records;
package: CDXJ index and WACZ.
"""
