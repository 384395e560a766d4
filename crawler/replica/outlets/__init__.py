"""The CMS-family replica outlets, one module per family (the bankingnews/K2 one is crawler.replica.site)."""
