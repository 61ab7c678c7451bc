"""The store wing: everything that writes the archive (engine and dialects, schema and migrations, the store
decision, story groups, crawl state, near-duplicate index, full-text index, run lock, integrity checks)."""
