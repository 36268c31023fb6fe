C360.tokens("6c61",["lahore",36]);
