from tests.pdf import pdf_text as pdf_text  # noqa: F401 - re-exported until the #11 merge
