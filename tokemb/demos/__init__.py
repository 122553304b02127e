"""Interactive demo pages: the data each page embeds and the JavaScript that runs it in the browser."""
