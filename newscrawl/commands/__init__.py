"""Project commands for the ``scrapy`` tool (see COMMANDS_MODULE in settings)."""
