-- Schema 13: search stays fast on a book of a hundred thousand clients.
-- The name of each client beside its id, small enough that ordering a few hundred search
-- matches by name reads this index instead of the clients' whole rows.
CREATE INDEX clients_name_of_id ON clients (id, name_sort);
-- The follow-ups noted without a contact, which a client's search entry and snippet read.
CREATE INDEX follow_ups_without_contact ON follow_ups (client_id, id) WHERE contact_id IS NULL;
