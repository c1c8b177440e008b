-- Runs once, when the database volume is created. The server logs in as
-- wijkkaart_server, a member of wijkkaart_reader, which `wijkkaart migrate`
-- grants read access to every wijkkaart table.
CREATE ROLE wijkkaart_reader NOLOGIN;
CREATE ROLE wijkkaart_server LOGIN PASSWORD 'wijkkaart_server' IN ROLE wijkkaart_reader;
