"""The flowchart language: lexer, parser and typed AST."""
