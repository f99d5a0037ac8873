-- Schema 12: the client list filters and sorts by the 12421 grade, and "starred only" reads an
-- index instead of the whole table.
-- Each client's grade in the newest snapshot, kept beside the client so the list can filter and
-- order by it from an index; NULL until the client is first graded.
ALTER TABLE clients ADD COLUMN grade TEXT CHECK (grade IN ('A', 'B', 'C', 'D', 'E'));
UPDATE clients SET grade = (
    SELECT g.grade FROM grade_snapshots g
    WHERE g.client_id = clients.id AND g.month = (SELECT max(month) FROM grade_snapshots));
-- Filtering by one letter, in name order.
CREATE INDEX clients_by_grade ON clients (grade, name_sort, id);
-- Ordering by grade: A to E, then the ungraded (and exactly the reverse), from one index.
CREATE INDEX clients_grade_order ON clients (grade IS NULL, grade, name_sort, id);
-- Key clients are few: a partial index holds only them, in name order, and counts them.
CREATE INDEX clients_starred ON clients (name_sort, id) WHERE starred = 1;
