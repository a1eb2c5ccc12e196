-- Demands and hazards of field campaigns enter the search index: a rebuild
-- request indexes those recorded before this version (each node's indexer
-- rebuilds when it meets a 'reindex' row; later records queue themselves).
insert into search_outbox (doc_type, doc_id, op, created_at) values ('demand', '0', 'reindex', 0);
