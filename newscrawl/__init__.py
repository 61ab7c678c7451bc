"""newscrawl: a Scrapy crawler and archiver for Sarawak (Malaysia) news outlets."""

__version__ = "0.1.0"
