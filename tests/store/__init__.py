"""Tests of the stores: one contract for both, and Neo4j on its own."""
