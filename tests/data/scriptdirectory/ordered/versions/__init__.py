print("not a revision")
