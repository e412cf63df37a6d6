"""The formal investigation: its records, the evidence, informing the person concerned."""
