-- A topic's subscribers, counted as rows come and go: a topic send reads its audience size (AudienceSizes) from one
-- row instead of counting the topic's subscriptions on every send (0.1 ms per 1,000 subscribers; bench/README.md,
-- "Capacity"). A topic nobody is subscribed to has no row.
--
-- Kept by a trigger rather than by TopicService: during a rolling upgrade the pods still on the previous version go on
-- subscribing after this migration ran, and their rows are counted too. Every writer of topic_subscriptions holds the
-- sequence lock (TopicService), so the count rows are never written by two transactions at once.
CREATE TABLE topic_subscriber_counts (
    company     VARCHAR(64)  NOT NULL,
    topic       VARCHAR(128) NOT NULL,
    subscribers BIGINT       NOT NULL CHECK (subscribers > 0),
    PRIMARY KEY (company, topic)
);

CREATE FUNCTION topic_subscriber_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM topic_subscriber_counts WHERE company = OLD.company AND topic = OLD.topic AND subscribers = 1;
        IF NOT FOUND THEN
            UPDATE topic_subscriber_counts SET subscribers = subscribers - 1
                WHERE company = OLD.company AND topic = OLD.topic;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO topic_subscriber_counts AS c (company, topic, subscribers) VALUES (NEW.company, NEW.topic, 1)
            ON CONFLICT (company, topic) DO UPDATE SET subscribers = c.subscribers + 1;
    END IF;
    RETURN NULL;
END
$$;

-- Creating the trigger locks the table against writes until this migration commits, so the count below sees every
-- row there is, and every row written after it fires the trigger.
CREATE TRIGGER topic_subscriber_count AFTER INSERT OR DELETE OR UPDATE OF company, topic ON topic_subscriptions
    FOR EACH ROW EXECUTE FUNCTION topic_subscriber_count();

INSERT INTO topic_subscriber_counts (company, topic, subscribers)
    SELECT company, topic, count(*) FROM topic_subscriptions GROUP BY company, topic;
