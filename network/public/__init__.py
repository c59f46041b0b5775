"""The public "where they stand" pages: /where-they-stand/."""
