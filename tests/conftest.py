"""Shared fixtures."""

import pytest
import streamlit as st


@pytest.fixture
def fresh_cache():
    """Clear Streamlit's process-wide caches around a test: runs must not leak between tests."""
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()
