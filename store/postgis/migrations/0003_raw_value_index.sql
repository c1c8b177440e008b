-- Raw values are only ever read and replaced whole per (year, indicator,
-- level). A unique index over every key column cost a large part of an
-- import (12.5 M text keys, as large as the table itself), and guarded
-- nothing the import does not already check: the writer refuses duplicate
-- values before copying them, and publication's primary key would refuse
-- them again. An index on the columns that are looked up is enough, and
-- B-tree deduplication keeps it small.
ALTER TABLE wijkkaart.value DROP CONSTRAINT value_pkey;
CREATE INDEX value_batch_idx ON wijkkaart.value (year, indicator, level);
