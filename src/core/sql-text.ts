// Text spliced into SQL, quoted the one way DuckDB reads it back: for names and
// constants that cannot be bound as parameters (ATTACH paths, COPY targets, identifiers).

/** A text as a SQL string literal ('it''s'). */
export const sqlLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A name as a SQL identifier ("my ""table"""). */
export const sqlIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
