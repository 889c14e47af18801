"""Views of the notices phase: staff pages (campaigns, recipients, requests) and the public
personal page and unsubscribe link."""
