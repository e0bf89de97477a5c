"""Link preview cards: one PNG per page, drawn at build time with NanumGothic."""
