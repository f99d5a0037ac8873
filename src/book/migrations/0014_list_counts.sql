-- Schema 14: the client list's "共 N 位客户" for one filter is read, not counted. Counting the
-- ten thousand VIP clients of a big book cost ten times the page it heads.
-- How many clients have each value of each filter of the list ('all' counts every client;
-- 'starred' only the starred). Kept by the triggers below in the same write as the clients,
-- so it is never behind; `rapport check` counts again and compares.
CREATE TABLE client_counts (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (facet, value)
) WITHOUT ROWID;
INSERT INTO client_counts (facet, value, n)
    SELECT 'all', '', count(*) FROM clients
    UNION ALL SELECT 'tier', tier, count(*) FROM clients GROUP BY tier
    UNION ALL SELECT 'stage', stage, count(*) FROM clients GROUP BY stage
    UNION ALL SELECT 'risk', risk_profile, count(*) FROM clients
        WHERE risk_profile IS NOT NULL GROUP BY risk_profile
    UNION ALL SELECT 'grade', grade, count(*) FROM clients WHERE grade IS NOT NULL GROUP BY grade
    UNION ALL SELECT 'starred', '1', count(*) FROM clients WHERE starred = 1
    UNION ALL SELECT 'segment', segment, count(*) FROM client_segments GROUP BY segment;

-- A table rebuilt by a later migration loses its triggers: that migration makes them again.
CREATE TRIGGER client_counts_add AFTER INSERT ON clients BEGIN
    INSERT OR IGNORE INTO client_counts (facet, value, n)
        SELECT facet, value, 0 FROM (
            SELECT 'all' AS facet, '' AS value UNION ALL SELECT 'tier', NEW.tier
            UNION ALL SELECT 'stage', NEW.stage UNION ALL SELECT 'risk', NEW.risk_profile
            UNION ALL SELECT 'grade', NEW.grade UNION ALL SELECT 'starred', '1')
        WHERE value IS NOT NULL;
    UPDATE client_counts SET n = n + 1
    WHERE (facet, value) IN (VALUES ('all', ''), ('tier', NEW.tier), ('stage', NEW.stage),
                                    ('risk', NEW.risk_profile), ('grade', NEW.grade))
       OR (facet = 'starred' AND NEW.starred = 1);
END;
CREATE TRIGGER client_counts_remove AFTER DELETE ON clients BEGIN
    UPDATE client_counts SET n = n - 1
    WHERE (facet, value) IN (VALUES ('all', ''), ('tier', OLD.tier), ('stage', OLD.stage),
                                    ('risk', OLD.risk_profile), ('grade', OLD.grade))
       OR (facet = 'starred' AND OLD.starred = 1);
END;
-- One trigger a filter, each only when its value changed: grading rewrites every client's
-- grade each month, and most stay the same letter.
CREATE TRIGGER client_counts_tier AFTER UPDATE OF tier ON clients
WHEN OLD.tier IS NOT NEW.tier BEGIN
    INSERT OR IGNORE INTO client_counts (facet, value, n)
        SELECT 'tier', NEW.tier, 0 WHERE NEW.tier IS NOT NULL;
    UPDATE client_counts SET n = n - 1 WHERE facet = 'tier' AND value = OLD.tier;
    UPDATE client_counts SET n = n + 1 WHERE facet = 'tier' AND value = NEW.tier;
END;
CREATE TRIGGER client_counts_stage AFTER UPDATE OF stage ON clients
WHEN OLD.stage IS NOT NEW.stage BEGIN
    INSERT OR IGNORE INTO client_counts (facet, value, n)
        SELECT 'stage', NEW.stage, 0 WHERE NEW.stage IS NOT NULL;
    UPDATE client_counts SET n = n - 1 WHERE facet = 'stage' AND value = OLD.stage;
    UPDATE client_counts SET n = n + 1 WHERE facet = 'stage' AND value = NEW.stage;
END;
CREATE TRIGGER client_counts_risk AFTER UPDATE OF risk_profile ON clients
WHEN OLD.risk_profile IS NOT NEW.risk_profile BEGIN
    INSERT OR IGNORE INTO client_counts (facet, value, n)
        SELECT 'risk', NEW.risk_profile, 0 WHERE NEW.risk_profile IS NOT NULL;
    UPDATE client_counts SET n = n - 1 WHERE facet = 'risk' AND value = OLD.risk_profile;
    UPDATE client_counts SET n = n + 1 WHERE facet = 'risk' AND value = NEW.risk_profile;
END;
CREATE TRIGGER client_counts_grade AFTER UPDATE OF grade ON clients
WHEN OLD.grade IS NOT NEW.grade BEGIN
    INSERT OR IGNORE INTO client_counts (facet, value, n)
        SELECT 'grade', NEW.grade, 0 WHERE NEW.grade IS NOT NULL;
    UPDATE client_counts SET n = n - 1 WHERE facet = 'grade' AND value = OLD.grade;
    UPDATE client_counts SET n = n + 1 WHERE facet = 'grade' AND value = NEW.grade;
END;
CREATE TRIGGER client_counts_starred AFTER UPDATE OF starred ON clients
WHEN (OLD.starred = 1) IS NOT (NEW.starred = 1) BEGIN
    INSERT OR IGNORE INTO client_counts (facet, value, n) VALUES ('starred', '1', 0);
    UPDATE client_counts SET n = n + iif(NEW.starred = 1, 1, -1) WHERE facet = 'starred';
END;
CREATE TRIGGER client_counts_segment_add AFTER INSERT ON client_segments BEGIN
    INSERT OR IGNORE INTO client_counts (facet, value, n) VALUES ('segment', NEW.segment, 0);
    UPDATE client_counts SET n = n + 1 WHERE facet = 'segment' AND value = NEW.segment;
END;
CREATE TRIGGER client_counts_segment_remove AFTER DELETE ON client_segments BEGIN
    UPDATE client_counts SET n = n - 1 WHERE facet = 'segment' AND value = OLD.segment;
END;
