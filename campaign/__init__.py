"""What the campaign does to candidates: asks them where they stand on a ceasefire,
records what they answered (stance events), and shows it on the public
where-they-stand pages and the hex map. Builds on the directory (``network``):
candidacies are the directory's roles of kind candidate."""
